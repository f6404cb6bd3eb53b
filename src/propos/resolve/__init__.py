"""Resolution: from source mentions to speakers.

The stage between attribution and storage. ``cast`` builds the article's cast of characters
once per document (who it names, and every way it refers to them); ``speakers`` turns each
source mention into a speaker against that cast; ``discourse`` gives quotes with no source
the speaker the article's flow implies (a continuation, a repeated headline quote);
``plausible`` refuses speakers no reader would accept (a date, a fragment, a pronoun left
unresolved).
"""

from .speakers import Resolver, resolve_speakers

__all__ = ["Resolver", "resolve_speakers"]
