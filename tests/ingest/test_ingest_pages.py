"""Reading an HTML page whole: headline, standfirst, paragraphs and list items, in page order,
one paragraph per line; menus, footers, "Lire aussi" blocks, date stamps left out; the outlet
from the page's metadata or its URL.

The pages are written for the tests, laid out as French press sites lay theirs out (a
national daily, a regional daily, a wire, a TV news site, a free daily), with the furniture
around the article that must stay out of its text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from propos.article import Article
from propos.ingest.readers import RawItem, parse_item, read_articles


def read(tmp_path: Path, html: str, name: str = "page.html") -> Article:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    [article] = read_articles([str(path)])
    assert isinstance(article, Article), article
    return article


def page(head: str, body: str) -> str:
    return (f"<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">{head}</head>"
            f"<body>{body}</body></html>")


NATIONAL = page(
    """<title>Retraites : la CFDT appelle à une nouvelle journée de grève</title>
    <meta property="og:site_name" content="Le Quotidien national">
    <meta property="article:published_time" content="2023-03-02T10:05:00+01:00">""",
    """<header class="header"><nav><ul><li><a href="/">Accueil</a></li>
    <li><a href="/politique/">Politique</a></li><li><a href="/economie/">Économie</a></li></ul>
    </nav></header>
    <main><article class="article article--content">
    <header class="article__header">
    <h1 class="article__title">Retraites : la CFDT appelle à une nouvelle journée de grève</h1>
    <p class="article__desc">Le syndicat réclame le retrait du report de l'âge légal et
    annonce une mobilisation le 7 mars.</p>
    <p class="meta__date">Publié le 02 mars 2023 à 10h05</p>
    </header>
    <section class="article__wrapper">
    <p class="article__paragraph">« Nous ne lâcherons rien », a déclaré jeudi la secrétaire
    générale du syndicat, Anne Morel, à l'issue d'une réunion de l'intersyndicale.</p>
    <p class="article__paragraph">Le syndicat a listé ses revendications :</p>
    <ul class="article__list">
    <li>le retrait du report de l'âge légal à 64 ans ;</li>
    <li>une « vraie » prise en compte de la pénibilité ;</li>
    <li>l'ouverture d'une négociation sur l'emploi des seniors.</li>
    </ul>
    <section class="catcher"><span class="catcher__label">Lire aussi</span>
    <a href="/x.html">Retraites : ce que contient le projet de loi</a></section>
    <h2 class="article__sub-title">Le gouvernement inflexible</h2>
    <p class="article__paragraph">Le ministre du Travail a estimé que la réforme était
    « indispensable » pour l'équilibre du système.</p>
    </section></article></main>
    <footer class="footer"><ul><li><a href="/cgv">Conditions générales</a></li>
    <li>© Le Quotidien national 2023</li></ul><p>Tous droits réservés.</p></footer>""")

REGIONAL = page(
    """<title>Villeneuve : la piscine municipale fermera cet été | Le Courrier de la Lère</title>
    <meta name="application-name" content="Le Courrier de la Lère">""",
    """<div id="menu"><a href="/">Accueil</a> <a href="/faits-divers">Faits divers</a>
    <a href="/sports">Sports</a></div>
    <div class="breadcrumb"><a href="/">Accueil</a> &gt; <a href="/villeneuve">Villeneuve</a>
    </div>
    <div class="article">
    <h1>Villeneuve : la piscine municipale fermera cet été</h1>
    <div class="chapeau">Faute de budget, la municipalité renonce à ouvrir le bassin en
    juillet et en août. L'opposition dénonce « un abandon ».</div>
    <div class="auteur">Par Julie Marchand</div>
    <div class="date">Publié le 12/03/2024 à 10h05 | Mis à jour le 13/03/2024 à 08h00</div>
    <div class="texte">
    <p>La maire, Claire Dumoutier, a expliqué lundi soir en conseil municipal que les travaux
    de mise aux normes coûteraient 400 000 euros.</p>
    <ul><li>Coût des travaux : 400 000 euros</li><li>Durée : six mois</li>
    <li>Réouverture : juin 2025</li></ul>
    <p>« Nous n'avons pas le choix », a-t-elle affirmé devant les élus.</p>
    <p>Marc Olivier, chef de file de l'opposition, a regretté une décision « prise sans
    concertation ».</p>
    </div>
    <div class="lire-aussi"><strong>À lire aussi</strong><ul>
    <li><a href="/a">Le budget 2024 adopté dans la douleur</a></li>
    <li><a href="/b">Les tarifs de la cantine augmentent</a></li></ul></div>
    </div>
    <div class="footer">Le Courrier de la Lère - Mentions légales - Contact - Publicité</div>""")

WIRE = page(
    "<title>Grève à la SNCF : le trafic très perturbé mardi</title>",
    """<nav><a href="/">Accueil</a> · <a href="/depeches">Dépêches</a></nav>
    <div class="story"><h1>Grève à la SNCF : le trafic très perturbé mardi</h1>
    <div class="body">
    <p>PARIS, 3 mars 2024 (AFP) - Le trafic sera « très perturbé » mardi sur l'ensemble du
    réseau, a annoncé lundi la SNCF, qui prévoit un TGV sur trois.</p>
    <p>« Nous conseillons aux voyageurs de reporter leur déplacement », a déclaré un
    porte-parole de l'entreprise.</p>
    </div></div>
    <div class="copyright">© AFP - Tous droits de reproduction réservés</div>""")

TV = page(
    """<title>Inondations dans le Pas-de-Calais : ce que l'on sait</title>
    <script type="application/ld+json">{"@context": "https://schema.org",
    "@type": "NewsArticle", "headline": "Inondations dans le Pas-de-Calais",
    "publisher": {"@type": "Organization", "name": "Info Télé"}}</script>""",
    """<header><div class="menu"><a href="/">Info Télé</a> <a href="/direct">Direct</a>
    <a href="/meteo">Météo</a></div></header>
    <article>
    <h1 class="c-title">Inondations dans le Pas-de-Calais : ce que l'on sait</h1>
    <h2 class="c-chapo">Des centaines de maisons ont été évacuées et le préfet a déclenché le
    plan Orsec.</h2>
    <div class="c-body">
    <p>Le préfet du Pas-de-Calais a annoncé mercredi le déclenchement du plan Orsec.</p>
    <h3>Ce qu'il faut retenir</h3>
    <ul><li>Plus de 600 personnes ont été évacuées dans la nuit.</li>
    <li>La Liane a atteint son plus haut niveau depuis 1990.</li></ul>
    <p>« La situation reste très préoccupante », a prévenu le ministre de l'Intérieur.</p>
    </div>
    <aside class="related"><h3>Voir aussi</h3><ul><li><a href="/c">Tempête : le bilan</a>
    </li></ul></aside>
    </article>
    <footer><a href="/mentions">Mentions légales</a> Info Télé</footer>""")

FREE_DAILY = page(
    """<title>Pierrefitte : des parents exigent « plus de sécurité » au collège - 20 Soirs</title>
    <link rel="canonical" href="https://www.vingt-soirs.fr/paris/2196767-parents-securite">""",
    """<div class="nav-bar"><ul><li><a href="/">Actu</a></li><li><a href="/sport">Sport</a>
    </li></ul></div>
    <article><header>
    <h1>Pierrefitte : des parents exigent « plus de sécurité » au collège</h1>
    <ul class="summary-list">
    <li>Parents et enseignants entament une nouvelle journée de mobilisation.</li>
    <li>Ils réclament des surveillants supplémentaires.</li></ul>
    <p class="datetime">Publié le 08/01/18 à 18h25 — Mis à jour le 09/01/18 à 07h40</p>
    </header>
    <div class="content">
    <p>Face à la multiplication d'incidents, parents et enseignants ont de nouveau manifesté
    ce lundi devant l'établissement.</p>
    <p>« On ne peut plus envoyer nos enfants dans ces conditions », a expliqué Samia, mère
    d'un élève de cinquième.</p>
    <p>Lire aussi : <a href="/x">Seine-Saint-Denis : le plan pour les collèges</a></p>
    <p>Le rectorat a assuré qu'une réunion se tiendrait « dans les prochains jours ».</p>
    </div>
    <div class="tags"><ul><li><a href="/t/education">Education</a></li>
    <li><a href="/t/college">Collège</a></li></ul></div>
    </article>
    <footer><p>© 20 Soirs 2018</p></footer>""")


def test_national_daily_standfirst_list_and_intertitle_in_order(tmp_path: Path) -> None:
    article = read(tmp_path, NATIONAL)
    assert article.text == (
        "Retraites : la CFDT appelle à une nouvelle journée de grève\n\n"
        "Le syndicat réclame le retrait du report de l'âge légal et annonce une mobilisation "
        "le 7 mars.\n"
        "« Nous ne lâcherons rien », a déclaré jeudi la secrétaire générale du syndicat, Anne "
        "Morel, à l'issue d'une réunion de l'intersyndicale.\n"
        "Le syndicat a listé ses revendications :\n"
        "le retrait du report de l'âge légal à 64 ans ;\n"
        "une « vraie » prise en compte de la pénibilité ;\n"
        "l'ouverture d'une négociation sur l'emploi des seniors.\n"
        "Le gouvernement inflexible\n"
        "Le ministre du Travail a estimé que la réforme était « indispensable » pour "
        "l'équilibre du système.")
    assert (article.title, article.date, article.source) == (
        "Retraites : la CFDT appelle à une nouvelle journée de grève", "2023-03-02",
        "Le Quotidien national")


def test_regional_daily_chapeau_and_fact_box_kept_read_also_left_out(tmp_path: Path) -> None:
    article = read(tmp_path, REGIONAL)
    assert article.text == (
        "Villeneuve : la piscine municipale fermera cet été\n\n"
        "Faute de budget, la municipalité renonce à ouvrir le bassin en juillet et en août. "
        "L'opposition dénonce « un abandon ».\n"
        "La maire, Claire Dumoutier, a expliqué lundi soir en conseil municipal que les "
        "travaux de mise aux normes coûteraient 400 000 euros.\n"
        "Coût des travaux : 400 000 euros\n"
        "Durée : six mois\n"
        "Réouverture : juin 2025\n"
        "« Nous n'avons pas le choix », a-t-elle affirmé devant les élus.\n"
        "Marc Olivier, chef de file de l'opposition, a regretté une décision « prise sans "
        "concertation ».")
    assert article.date == "2024-03-12"  # the publication stamp, not the update
    assert article.source == "Le Courrier de la Lère"


def test_wire_copy_without_standfirst(tmp_path: Path) -> None:
    article = read(tmp_path, WIRE)
    assert article.text == (
        "Grève à la SNCF : le trafic très perturbé mardi\n\n"
        "PARIS, 3 mars 2024 (AFP) - Le trafic sera « très perturbé » mardi sur l'ensemble du "
        "réseau, a annoncé lundi la SNCF, qui prévoit un TGV sur trois.\n"
        "« Nous conseillons aux voyageurs de reporter leur déplacement », a déclaré un "
        "porte-parole de l'entreprise.")
    assert article.date == "2024-03-03"  # from the dateline: the page has no metadata date
    assert article.source is None  # no metadata, no URL: not a fragment of the title


def test_tv_site_h2_standfirst_and_key_points_list(tmp_path: Path) -> None:
    article = read(tmp_path, TV)
    assert article.text == (
        "Inondations dans le Pas-de-Calais : ce que l'on sait\n\n"
        "Des centaines de maisons ont été évacuées et le préfet a déclenché le plan Orsec.\n"
        "Le préfet du Pas-de-Calais a annoncé mercredi le déclenchement du plan Orsec.\n"
        "Ce qu'il faut retenir\n"
        "Plus de 600 personnes ont été évacuées dans la nuit.\n"
        "La Liane a atteint son plus haut niveau depuis 1990.\n"
        "« La situation reste très préoccupante », a prévenu le ministre de l'Intérieur.")
    assert article.source == "Info Télé"  # the JSON-LD publisher


def test_free_daily_summary_bullets_kept_stamp_and_inline_read_also_left_out(
        tmp_path: Path) -> None:
    article = read(tmp_path, FREE_DAILY)
    assert article.text == (
        "Pierrefitte : des parents exigent « plus de sécurité » au collège\n\n"
        "Parents et enseignants entament une nouvelle journée de mobilisation.\n"
        "Ils réclament des surveillants supplémentaires.\n"
        "Face à la multiplication d'incidents, parents et enseignants ont de nouveau manifesté "
        "ce lundi devant l'établissement.\n"
        "« On ne peut plus envoyer nos enfants dans ces conditions », a expliqué Samia, mère "
        "d'un élève de cinquième.\n"
        "Le rectorat a assuré qu'une réunion se tiendrait « dans les prochains jours ».")
    assert article.date == "2018-01-08"
    assert article.source == "vingt-soirs.fr"  # the URL's host, www. left out
    assert article.url == "https://www.vingt-soirs.fr/paris/2196767-parents-securite"


ARTICLE_BODY = """<p>Le conseil municipal a voté lundi soir la fermeture de la piscine pour
l'été, par 21 voix contre 8.</p><p>« C'est une décision difficile », a reconnu la maire.</p>"""


def test_meta_description_only_when_the_page_has_no_standfirst(tmp_path: Path) -> None:
    description = ('<meta name="description" content="La municipalité renonce à ouvrir le '
                   'bassin cet été, faute de budget.">')
    bare = page(f"<title>La piscine fermée cet été</title>{description}",
                f"<article><h1>La piscine fermée cet été</h1>{ARTICLE_BODY}</article>")
    assert read(tmp_path, bare).text == (
        "La piscine fermée cet été\n\n"
        "La municipalité renonce à ouvrir le bassin cet été, faute de budget.\n"
        "Le conseil municipal a voté lundi soir la fermeture de la piscine pour l'été, par 21 "
        "voix contre 8.\n"
        "« C'est une décision difficile », a reconnu la maire.")
    with_chapo = page(f"<title>La piscine fermée cet été</title>{description}",
                      "<article><h1>La piscine fermée cet été</h1><p class=\"chapo\">Les "
                      "baigneurs devront se rendre à la plage de la Lère.</p>"
                      f"{ARTICLE_BODY}</article>")
    assert read(tmp_path, with_chapo, "chapo.html").text.split("\n")[2] == (
        "Les baigneurs devront se rendre à la plage de la Lère.")
    assert "faute de budget" not in read(tmp_path, with_chapo, "chapo.html").text


def test_meta_description_repeating_the_first_paragraph_is_not_added(tmp_path: Path) -> None:
    html = page('<title>La piscine fermée cet été</title><meta name="description" '
                'content="Le conseil municipal a voté lundi soir la fermeture de la piscine…">',
                f"<article><h1>La piscine fermée cet été</h1>{ARTICLE_BODY}</article>")
    assert read(tmp_path, html).text.count("Le conseil municipal a voté") == 1


def test_nested_list_items_one_per_line(tmp_path: Path) -> None:
    html = page("<title>Les mesures du plan</title>",
                "<article><h1>Les mesures du plan</h1><p>Le préfet a présenté mardi les "
                "mesures du plan de prévention des inondations.</p><ul><li>Pour les "
                "riverains :<ul><li>une aide de 1 500 euros ;</li><li>un diagnostic "
                "gratuit.</li></ul></li><li>Pour les communes : un fonds de 5 millions.</li>"
                "</ul><p>« Ces mesures seront financées dès cette année », a-t-il assuré.</p>"
                "</article>")
    assert read(tmp_path, html).text.split("\n")[3:7] == [
        "Pour les riverains :", "une aide de 1 500 euros ;", "un diagnostic gratuit.",
        "Pour les communes : un fonds de 5 millions."]


@pytest.mark.parametrize(("head", "expected"), [
    ('<meta property="og:site_name" content="Le Monde.fr">', "Le Monde.fr"),
    ('<meta name="application-name" content="La Voix du Val">', "La Voix du Val"),
    ('<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", "publisher": '
     '{"@id": "#org", "name": "Radio Lère"}}]}</script>', "Radio Lère"),
    ('<link rel="canonical" href="https://www.lemonde.fr/politique/article/x.html">',
     "lemonde.fr"),
    ('<link rel="canonical" href="https://mobile.liberation.fr/societe/x">', "liberation.fr"),
    ("", None),
], ids=["og-site-name", "application-name", "json-ld-publisher", "host", "mobile-host", "none"])
def test_outlet_from_metadata_or_host_never_the_title(tmp_path: Path, head: str,
                                                      expected: str | None) -> None:
    html = page(f"<title>La piscine fermée cet été - Le Courrier</title>{head}",
                f"<article><h1>La piscine fermée cet été</h1>{ARTICLE_BODY}</article>")
    assert read(tmp_path, html).source == expected


def test_paragraphs_opening_like_a_stamp_or_a_label_stay_text(tmp_path: Path) -> None:
    html = page("<title>La piscine fermée cet été</title>",
                "<article><h1>La piscine fermée cet été</h1><p>Publié le 3 mars 2023, le "
                "rapport de la chambre régionale des comptes pointait déjà ces failles.</p>"
                f"{ARTICLE_BODY}<p>Related to the closure, a petition has gathered 2,000 "
                "names.</p></article>")
    article = read(tmp_path, html)
    assert article.text.split("\n")[2] == (
        "Publié le 3 mars 2023, le rapport de la chambre régionale des comptes pointait déjà "
        "ces failles.")
    assert article.text.endswith("Related to the closure, a petition has gathered 2,000 names.")
    assert article.date is None


def test_a_photo_caption_is_not_the_standfirst(tmp_path: Path) -> None:
    html = page("<title>La piscine fermée cet été</title>",
                "<article><h1>La piscine fermée cet été</h1><figure><img src=\"p.jpg\">"
                "<figcaption class=\"media__desc\">Le bassin olympique, vide depuis le mois "
                "de mai. Photo Julie Marchand</figcaption></figure><div class=\"photo-desc\">"
                "Le bassin olympique, vide depuis le mois de mai.</div><p class=\"chapo\">Les "
                "baigneurs devront se rendre à la plage de la Lère.</p>"
                f"{ARTICLE_BODY}</article>")
    assert read(tmp_path, html).text.split("\n")[2] == (
        "Les baigneurs devront se rendre à la plage de la Lère.")


def test_lists_that_are_not_the_article_stay_out(tmp_path: Path) -> None:
    html = page("<title>La piscine fermée cet été</title>",
                "<article><ul><li>Accueil</li><li>Villeneuve</li></ul>"  # crumbs above it
                "<h1>La piscine fermée cet été</h1>"
                '<ul class="social-share"><li>Partager sur Facebook</li><li>Envoyer par '
                "courriel</li></ul>"
                f"{ARTICLE_BODY}"
                "<p><strong>À lire aussi :</strong></p><ul><li>Le budget voté sans l'opposition"
                "</li><li>La cantine plus chère à la rentrée</li></ul>"
                '<ul><li><a href="/a">Les travaux de la médiathèque reportés</a></li>'
                '<li><a href="/b">Le marché déménage</a></li></ul>'
                '<section id="commentaires"><ul><li>Scandaleux, encore une fois les familles '
                "paient.</li></ul></section></article>")
    assert read(tmp_path, html).text == (
        "La piscine fermée cet été\n\n"
        "Le conseil municipal a voté lundi soir la fermeture de la piscine pour l'été, par 21 "
        "voix contre 8.\n"
        "« C'est une décision difficile », a reconnu la maire.")


def test_every_container_reads_the_page_whole(tmp_path: Path) -> None:
    """A page in a JSONL "html" field or a WARC record reads as the same page in a file."""
    expected = read(tmp_path, TV).text
    dump = tmp_path / "dump.jsonl"
    dump.write_text(json.dumps({"id": "tv", "html": TV}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    [record] = read_articles([str(dump)])
    warc = parse_item(RawItem("html", "crawl.warc#0", "crawl.warc", TV.encode("utf-8"),
                              (("url", "https://www.info-tele.example/inondations"),)))
    assert record.text == expected and warc.text == expected
    assert (record.source, warc.source) == ("Info Télé", "Info Télé")


def test_paywall_notice_stays_out(tmp_path: Path) -> None:
    html = page("<title>La piscine fermée cet été</title>",
                f"<article><h1>La piscine fermée cet été</h1>{ARTICLE_BODY}"
                "<p>Il vous reste 62.45% de cet article à lire. La suite est réservée aux "
                "abonnés.</p><p>Déjà abonné ? Se connecter</p></article>")
    assert read(tmp_path, html).text.endswith("« C'est une décision difficile », a reconnu "
                                              "la maire.")


@pytest.mark.parametrize("standfirst", [
    "<h2>Les baigneurs devront se rendre à la plage de la Lère.</h2>",
    "<p>Les baigneurs devront se rendre à la plage de la Lère.</p>",
], ids=["h2-under-the-headline", "article-header-paragraph"])
def test_standfirst_without_a_class(tmp_path: Path, standfirst: str) -> None:
    html = page("<title>La piscine fermée cet été</title>",
                '<header class="site"><p>Le journal de la vallée de la Lère depuis 1945</p>'
                "</header><article><header><h1>La piscine fermée cet été</h1>"
                f'<p class="byline">Par Julie Marchand</p>{standfirst}</header>'
                f"<div>{ARTICLE_BODY}</div></article>")
    assert read(tmp_path, html).text == (
        "La piscine fermée cet été\n\n"
        "Les baigneurs devront se rendre à la plage de la Lère.\n"
        "Le conseil municipal a voté lundi soir la fermeture de la piscine pour l'été, par 21 "
        "voix contre 8.\n"
        "« C'est une décision difficile », a reconnu la maire.")
