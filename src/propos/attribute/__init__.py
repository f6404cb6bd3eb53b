"""Link quotes, cues and sources into attributions.

The parse gives sentences, verbs and subjects; ``quotes.find_quotes`` gives the quoted stretches.
Each rule recognises one construction of reported speech and records which rule fired
(``Candidate.rule``). One module per rule family, all mixed into one
:class:`~propos.attribute.finder.Finder` that keeps the shared record of findings:

- ``verbs``: a reporting verb with a que-clause (``clause``: « X a affirmé que … »), a bare
  infinitive (« dit avoir … »), a parenthetical (« comme le rappelle X, … »), a reflexive
  verb's attribute (``attribute``: « s'est dit favorable à … »);
- ``objects``: what a verb's object says (``object``: « a promis de … », « accuse X de … »,
  « réclame « … » », « fait état de … »);
- ``incises``: the verb inverted after what was said (``incise``: « « … », a-t-elle
  ajouté », « …, a indiqué la police »);
- ``according``: « Selon X, … », « D'après X », « Pour X, … » (``according_to``);
- ``quotations``: quotes no verb took: an incise inside the quote (``incise_inside``), a
  colon introduction (``colon``), a headline's quote whose speaker is the subject after a
  colon (``colon_after``), a speaker in the sentence before or after
  (``previous_sentence``, ``next_sentence``), a continuation (``continuation``), a
  subheading echoing the body (``unattributed``, its speaker filled by ``resolve.discourse``);
- ``sources``: who speaks, the subject through the parser's detours, and its mention;
- ``findings``: the :class:`Candidate` record and the parse labels every family reads.

Resolving the source mention into a speaker is ``resolve``'s job; here a source is a token
span of the parse.
"""

from .finder import Finder, find_attributions
from .findings import Candidate

__all__ = ["Candidate", "Finder", "find_attributions"]
