"""The user error codes this plugin's mutations answer besides the core's (hook
``ogp_wg_user_error_codes``): values of the enum ``UserErrorCode``."""

USER_ERROR_CODES = {
    "DATES_OUT_OF_ORDER": "A date is before one it must follow.",
    "DATE_BEFORE_CHARTER": "A date is before the Open Data Charter's launch (October 2015).",
    "DATE_IN_FUTURE": "A date lies in the future.",
    "DUPLICATE_ADOPTION": "This government's adoption of the Charter is already recorded.",
    "DUPLICATE_DATASET": "A dataset with this URL is already recorded.",
    "DUPLICATE_ENDORSEMENT": "The organisation's endorsement is already recorded.",
    "DUPLICATE_NATIONAL_ADOPTION": "The country's national adoption is already recorded.",
    "DUPLICATE_ODIN_SCORE": "The country's ODIN score of that edition is already recorded.",
    "DUPLICATE_PORTAL": "A portal with this URL is already recorded.",
    "INVALID_EDITION": "Not an edition of the Open Data Inventory.",
    "NEGATIVE_COUNT": "A count is negative.",
    "PORTAL_COUNTRY_MISMATCH": "The portal belongs to another country than the dataset.",
    "SCORE_OUT_OF_RANGE": "A score is outside 0 to 100.",
}
