"""JSON shapes of the HTTP API, as pydantic models: they are the OpenAPI description.

The query functions return plain dicts; these models only describe and check them on the
way out. Spans and attributions follow the one JSON shape of ``propos.model`` (and
``schema/attribution.schema.json``), with the store's ids added where a page links to them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..read import lone_surrogate


class Error(BaseModel):
    """Every 4xx/5xx answer of the API."""

    status: int = Field(description="HTTP status, repeated for clients that lose it")
    error: str = Field(description="What was wrong, in words a user can act on")
    details: list[dict[str, object]] | None = Field(
        default=None, description="Per-parameter problems, for validation errors")


class SpanOut(BaseModel):
    start: int
    end: int
    text: str


class SpeakerRef(BaseModel):
    id: int | None = Field(description="Speaker directory entry (null when not in it)")
    name: str
    type: str
    gender: str = Field(default="unknown", description="female, male or unknown")
    gender_source: str | None = Field(default=None, description="text (the articles say it), "
                                      "first_name (only the first name suggests it) or null")


class Referent(BaseModel):
    name: str
    type: str = Field(description="person or organization")


class ArticleRef(BaseModel):
    id: str = Field(description="Article key: hash of its text")
    title: str | None
    date: str | None
    source: str | None
    url: str | None


class QuoteBadge(BaseModel):
    """The statement group of a quote seen in more than one article."""

    group: str = Field(description="Statement group key: /api/quotes/{group}")
    members: int = Field(description="Copies of the statement (attributions)")
    outlets: int = Field(description="Distinct outlets that carried it")
    since: str | None = Field(description="Date of its first copy")
    altered: bool = Field(description="Some outlet changed its words")
    wording: str = Field(description="This copy against the first: first, same, shortened, "
                                     "altered or paraphrase")


class DateOut(BaseModel):
    start: int
    end: int
    text: str
    value: str | None = Field(description="ISO: YYYY-MM-DD, YYYY-MM, YYYY or YYYY-Www")


class AmountOut(BaseModel):
    start: int
    end: int
    text: str
    value: float
    unit: str = Field(description="ISO 4217 currency code, or %")
    approx: bool


class Highlight(BaseModel):
    start: int
    end: int


class Hit(BaseModel):
    id: int = Field(description="Attribution id in this database")
    kind: str
    cue_type: str | None = Field(description="What the cue says of the content: speech, "
                                             "belief, perception, stance or nominal")
    content: str
    start: int = Field(description="Offset of the content in the article text")
    end: int
    speaker: SpeakerRef
    speaker_as_written: str = Field(description="Speaker as resolved in the article")
    about: list[Referent] = Field(description="Persons and organisations the content "
                                              "mentions")
    article: ArticleRef
    copies: int = Field(description="Matching quotes folded into this hit: the same words "
                                    "by the same speaker, usually in wire copies")
    highlights: list[Highlight] = Field(description="The words of the query found in "
                                                    "`content`, as offsets into it")
    quote: QuoteBadge | None = Field(default=None, description="Its statement group")


class SearchQuery(BaseModel):
    q: str
    speaker: str
    speaker_id: int | None
    speaker_type: str
    kind: str
    cue_type: str
    since: str
    until: str
    outlet: str
    about: str
    content_only: bool
    order: str
    after: str
    page: int
    per_page: int


class SearchPage(BaseModel):
    query: SearchQuery
    total: int = Field(description="Matching quotes (copies counted once), counted up to "
                                   "1,000")
    total_exact: bool = Field(description="False when more quotes match than were counted: "
                                          "read `total` as \"1,000+\"")
    page: int
    per_page: int
    pages: int | None = Field(description="Number of pages, when the total is exact")
    next: str | None = Field(description="Cursor of the next page (pass it as `after`); "
                                         "null on the last page")
    hits: list[Hit]
    message: str | None = Field(description="Why nothing matches, when nothing does")


class Variant(BaseModel):
    name: str
    attributions: int


class Period(BaseModel):
    period: str = Field(description="YYYY-MM-DD (a day, or a week's Monday) or YYYY-MM")
    count: int


class TimeSeries(BaseModel):
    unit: str = Field(description="day, week or month, whichever the range asks for")
    points: list[Period] = Field(description="One per period, gaps included")
    undated: int = Field(description="Quotes in articles without a date")


class ShareRow(BaseModel):
    label: str
    value: str | None = Field(description="The filter value (null: other, or not given)")
    count: int
    percent: float


class Share(BaseModel):
    total: int
    rows: list[ShareRow]


class Alongside(BaseModel):
    id: int
    name: str
    type: str
    articles: int = Field(description="Articles quoting both speakers")


class SpeakerCounts(BaseModel):
    attributions: int
    direct: int
    indirect: int
    mixed: int
    articles: int


class QuotePage(BaseModel):
    total: int
    total_exact: bool
    page: int
    per_page: int
    pages: int | None
    next: str | None
    hits: list[Hit]


class SpeakerDetail(BaseModel):
    id: int
    name: str
    type: str
    gender: str = Field(description="female, male or unknown")
    gender_source: str | None = Field(description="text, first_name or null")
    counts: SpeakerCounts
    variants: list[Variant] = Field(description="Names this speaker appears under")
    timeline: TimeSeries = Field(description="Quotes over time")
    undated: int = Field(description="Quotes in articles without a date")
    alongside: list[Alongside] = Field(description="Speakers most often quoted in the same "
                                                   "articles")
    quotes: QuotePage


class SpeakerSummary(BaseModel):
    id: int
    name: str
    type: str
    gender: str = Field(description="female, male or unknown")
    gender_source: str | None = Field(description="text, first_name or null")
    attributions: int
    articles: int


class SpeakerRow(SpeakerSummary):
    direct: int
    indirect: int
    mixed: int
    first_seen: str | None = Field(description="Date of the first dated quote counted")
    last_seen: str | None
    variants: list[str] = Field(description="Names this speaker appears under")


class SpeakerListQuery(BaseModel):
    type: str
    gender: str
    outlet: str
    lang: str
    since: str
    until: str
    sort: str
    order: str
    page: int
    per_page: int


class SpeakerPage(BaseModel):
    query: SpeakerListQuery
    total: int = Field(description="Speakers matching the filters")
    page: int
    per_page: int
    pages: int
    speakers: list[SpeakerRow]


class AttributionOut(BaseModel):
    """``propos.model.Attribution``'s JSON shape, plus its id, number and directory entry."""

    id: int
    number: int = Field(description="1-based position in the article, as on the page")
    seq: int
    kind: str
    content: SpanOut
    cue: SpanOut | None
    source: SpanOut | None
    via: SpanOut | None
    speaker: dict[str, str | None] = Field(description="name, type, gender, gender_source")
    about: list[Referent]
    speaker_id: int | None
    directory_name: str | None
    confidence: float
    rule: str
    quote: QuoteBadge | None = Field(default=None, description="Its statement group")
    cue_type: str | None = Field(description="What the cue says of the content: speech, "
                                             "belief, perception, stance or nominal")


class NearCopy(BaseModel):
    id: str
    title: str | None
    source: str | None
    date: str | None
    similarity: float


class ArticleDetail(BaseModel):
    id: str = Field(description="Article key: hash of its text")
    doc_id: str
    title: str | None
    date: str | None
    source: str | None
    author: str | None
    url: str | None
    lang: str
    status: str
    location: str
    text: str = Field(description="Original text; every offset points into it")
    attributions: list[AttributionOut]
    near_duplicates: list[NearCopy]
    dates: list[DateOut] = Field(default=[], description="Dates the text mentions")
    amounts: list[AmountOut] = Field(default=[], description="Amounts the text mentions")


class Change(BaseModel):
    op: str = Field(description="replace, delete or insert")
    old: str = Field(description="The first copy's words")
    new: str = Field(description="This copy's words")


class DiffPiece(BaseModel):
    op: str = Field(description="equal or insert: this copy's text; delete: the first "
                                "copy's words it dropped or replaced")
    text: str


class QuoteCopy(BaseModel):
    id: int = Field(description="Attribution id in this database")
    kind: str
    content: str
    start: int
    end: int
    speaker: SpeakerRef
    article: ArticleRef
    wording: str = Field(description="first, same, shortened, altered or paraphrase")
    first_seen: bool
    changes: list[Change]
    pieces: list[DiffPiece] = Field(description="For altered copies: the text against the "
                                                "first copy's")
    reports: int | None = Field(description="For a paraphrase: the verbatim copy it reports")


class QuoteGroupDetail(BaseModel):
    group: str
    members: int
    outlets: int
    since: str | None
    altered: bool
    first: QuoteCopy
    copies: list[QuoteCopy] = Field(description="Every copy, in publication order")


class FailureReason(BaseModel):
    reason: str
    count: int


class Stats(BaseModel):
    articles: int
    extracted: int
    unsupported_lang: int
    first_date: str | None
    last_date: str | None
    outlets: int
    attributions: int
    by_kind: dict[str, int]
    speakers: int
    top_speakers: list[SpeakerSummary]
    failures: int
    failure_reasons: list[FailureReason]
    directory_stale: bool
    timeline: TimeSeries = Field(description="Quotes over time, the whole corpus")
    by_type: Share = Field(description="Quotes by speaker type")
    by_gender: Share = Field(description="Quotes by persons, by gender")
    by_outlet: Share = Field(description="Quotes by outlet (the biggest, then other)")


class ExtractRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The text to analyse (limit: see the API description)")
    lang: str = Field(default="auto", pattern="^(auto|[a-z]{2})$",
                      description="Language of the text (fr, en…), or auto (the default) to "
                                  "detect it, as the CLI and the try-it page do")
    id: str = Field(default="", max_length=200, description="Your id for the text")
    store: bool = Field(default=False, description="Also store it (server started with "
                                                    "--allow-store only)")
    title: str | None = Field(default=None, max_length=500)
    source: str | None = Field(default=None, max_length=200)
    date: str | None = Field(default=None, max_length=40)

    @field_validator("text", "id", "title", "source", "date")
    @classmethod
    def _valid_unicode(cls, value: str | None) -> str | None:
        """A lone surrogate (a JSON ``\\udfff`` escape) is no text: 422, not a crash later."""
        if value is not None and (problem := lone_surrogate(value)):
            raise ValueError(problem)
        return value


class EntityOut(BaseModel):
    label: str
    start: int
    end: int
    text: str


class ExtractAttribution(BaseModel):
    kind: str
    content: SpanOut
    cue: SpanOut | None
    source: SpanOut | None
    speaker: dict[str, str | None] = Field(description="name, type, gender, gender_source")
    via: SpanOut | None
    confidence: float
    rule: str
    dates: list[DateOut] = Field(default=[], description="Dates inside the content")
    amounts: list[AmountOut] = Field(default=[], description="Amounts inside the content")
    about: list[Referent]
    cue_type: str | None = Field(description="What the cue says of the content: speech, "
                                             "belief, perception, stance or nominal")


class ExtractResponse(BaseModel):
    """``propos.Document.to_dict(include_text=True)``, plus where it was stored."""

    id: str
    lang: str
    text: str
    attributions: list[ExtractAttribution]
    entities: list[EntityOut]
    dates: list[DateOut] = Field(default=[], description="Dates the text mentions")
    amounts: list[AmountOut] = Field(default=[], description="Amounts the text mentions")
    stored: str | None = Field(default=None, description="Article key when stored")
