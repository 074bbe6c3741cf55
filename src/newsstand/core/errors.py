"""One error tree for Newsstand. Foreign errors are wrapped once, at the boundary.

Every error carries a short machine ``code`` (stored on the feed as its last error
kind) and a human message. Handlers catch the narrowest class they can act on.
"""

from __future__ import annotations


class NewsstandError(Exception):
    """Base of every error Newsstand raises on purpose."""

    code = "error"

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.__class__.__doc__ or self.code)

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.code


class InternalError(NewsstandError):
    """Newsstand failed on this input (a bug): the traceback is in the log."""

    code = "internal"


# --- fetching -----------------------------------------------------------------


class FetchError(NewsstandError):
    """The resource could not be fetched."""

    code = "fetch"


class InvalidURL(FetchError):
    """The URL is not an absolute http(s) URL."""

    code = "invalid_url"


class BlockedAddress(FetchError):
    """The host resolves to an address that the network policy refuses."""

    code = "blocked_address"


class ResolveError(FetchError):
    """The host name could not be resolved."""

    code = "dns"


class ConnectError(FetchError):
    """The connection could not be opened."""

    code = "connect"


class TLSError(ConnectError):
    """The TLS handshake failed (bad certificate, protocol mismatch)."""

    code = "tls"


class BadResponse(FetchError):
    """The answer is not valid HTTP (malformed status line, oversized headers)."""

    code = "bad_response"


class Timeout(FetchError):
    """The fetch ran past its deadline."""

    code = "timeout"


class TooLarge(FetchError):
    """The body (raw or decoded) is larger than the limit."""

    code = "too_large"


class TooManyRedirects(FetchError):
    """The redirect chain is longer than the limit or loops."""

    code = "too_many_redirects"


class BadEncoding(FetchError):
    """The response uses a content coding we refuse (stacked, unknown or corrupt)."""

    code = "bad_encoding"


class HTTPStatusError(FetchError):
    """The server answered with an error status.

    ``retry_after`` is the raw ``Retry-After`` header value (``None`` when absent); the
    scheduler parses it with ``newsstand.core.retry_after.parse_retry_after`` and its clock.
    """

    code = "http_status"

    def __init__(self, status: int, message: str = "", retry_after: str | None = None) -> None:
        super().__init__(message or f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


class Gone(HTTPStatusError):
    """The server says the feed is gone for good (410)."""

    code = "gone"


class RateLimited(HTTPStatusError):
    """The server asks us to slow down (429 or 503)."""

    code = "rate_limited"


# --- parsing ------------------------------------------------------------------


class ParseError(NewsstandError):
    """The document could not be parsed as a feed."""

    code = "parse"


class NotAFeed(ParseError):
    """The document is not a feed (HTML page, empty body, unknown format)."""

    code = "not_a_feed"


class UnsafeXML(ParseError):
    """The XML uses entity expansion or external entities that we refuse."""

    code = "unsafe_xml"


class OPMLError(ParseError):
    """The OPML document could not be read."""

    code = "opml"


# --- article extraction -------------------------------------------------------


class ExtractionError(NewsstandError):
    """The article page could not be turned into an article."""

    code = "extraction"


class PageTooLarge(ExtractionError):
    """The page is larger than the extraction limit."""

    code = "page_too_large"


class PageTooDeep(ExtractionError):
    """The page nests elements deeper than the extraction limit."""

    code = "page_too_deep"


class NotHTML(ExtractionError):
    """The page is not HTML (a PDF, an image, JSON, plain text or other binary data)."""

    code = "not_html"


class UnknownEncoding(ExtractionError):
    """The page's character encoding is unknown or its bytes do not decode as text."""

    code = "unknown_encoding"


class NotAnArticle(ExtractionError):
    """The page holds no article (an empty shell, a wall or too little text).

    ``partial_text`` is what the extractor did read (a paywall's teaser, a consent
    notice), for logs and benchmarks; it is not the article.
    """

    code = "not_an_article"

    def __init__(self, message: str = "", partial_text: str = "") -> None:
        super().__init__(message)
        self.partial_text = partial_text


class TooLittleText(NotAnArticle):
    """The page's main content is too short to be an article."""

    code = "too_little_text"


class ScriptShell(NotAnArticle):
    """The page is a JavaScript application shell: its text is rendered by scripts."""

    code = "script_shell"


class CookieWall(NotAnArticle):
    """The page is a cookie or consent wall in front of the article."""

    code = "cookie_wall"


class PaywallStub(NotAnArticle):
    """The page is a paywall stub: a teaser and an invitation to subscribe or sign in."""

    code = "paywall"


class ExtractorFailed(ExtractionError):
    """An extractor library failed on the page (a bug there or here: see the log)."""

    code = "extractor_failed"


# --- members, accounts and billing ---------------------------------------------


class MembershipError(NewsstandError):
    """The membership cannot do what was asked."""

    code = "membership"


class InvalidTransition(MembershipError):
    """The membership is not in a state where this change applies (a second trial, say)."""

    code = "invalid_transition"


class TrialAlreadyUsed(InvalidTransition):
    """This address (or one that differs only by case or a +tag) has had its trial."""

    code = "trial_used"


class UnknownPlan(MembershipError):
    """No plan has this name."""

    code = "unknown_plan"


class AccountError(MembershipError):
    """The account cannot be created or changed as asked (address taken, password refused)."""

    code = "account"


class BillingError(NewsstandError):
    """The billing provider refused or failed a request."""

    code = "billing"


class BillingUnavailable(BillingError):
    """The installation's billing provider cannot do this (the manual provider has no
    checkout: an operator grants memberships)."""

    code = "billing_unavailable"


class BadWebhook(BillingError):
    """A webhook delivery is not from the provider (bad or missing signature, too old) or
    is not an event at all (not JSON, no id or type)."""

    code = "bad_webhook"


# --- configuration --------------------------------------------------------------


class ConfigurationError(NewsstandError):
    """A setting's value cannot be used (it names what is wrong and how to write it)."""

    code = "configuration"


# --- pictures -----------------------------------------------------------------


class PictureError(NewsstandError):
    """A publisher's picture could not be made into one the reader shows."""

    code = "picture"


class NotAnImage(PictureError):
    """The bytes are not a JPEG, PNG, GIF or WebP picture (or the picture is broken)."""

    code = "not_an_image"


class ImageRefused(PictureError):
    """The picture is refused: an SVG drawing, or a pixel, icon or strip as a lead."""

    code = "image_refused"


class PictureTooLarge(PictureError):
    """The picture declares more pixels than the limit (a decompression bomb)."""

    code = "picture_too_large"
