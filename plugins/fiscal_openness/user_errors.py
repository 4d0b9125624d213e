"""The user error codes this plugin's mutations answer besides the core's (hook
``ogp_wg_user_error_codes``): values of the enum ``UserErrorCode``."""

USER_ERROR_CODES = {
    "DATES_OUT_OF_ORDER": "A date is before one it must follow.",
    "DATE_IN_FUTURE": "A date lies in the future.",
    "DUPLICATE_BUDGET_DOCUMENT": "This document of that country and fiscal year is recorded.",
    "DUPLICATE_SURVEY": "The country already has an Open Budget Survey of that edition.",
    "INVALID_EDITION": "Not a round of the Open Budget Survey.",
    "INVALID_FISCAL_YEAR": "A fiscal year outside the years recorded.",
    "NOT_PUBLISHED": "A document that was not published has no publication date or URL.",
    "SCORE_OUT_OF_RANGE": "A score is outside 0 to 100.",
    "WRONG_THEME": "The working group is not a fiscal openness group.",
}
