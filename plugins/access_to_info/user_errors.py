"""The user error codes this plugin's mutations answer besides the core's (hook
``ogp_wg_user_error_codes``): values of the enum ``UserErrorCode``."""

USER_ERROR_CODES = {
    "DATES_OUT_OF_ORDER": "A date is before one it must follow (a law amended before adoption).",
    "DATE_IN_FUTURE": "A date lies in the future.",
    "DUPLICATE_LAW": "The country already has a right-to-information law on record.",
    "DUPLICATE_RATING": "The law already has an RTI Rating of that edition or month.",
    "DUPLICATE_REQUEST_STATISTICS": "Statistics for this country and year are already recorded.",
    "EDITION_MISMATCH": "The edition is not the year of lastUpdated.",
    "INCONSISTENT_COUNTS": "The request statistics contradict each other.",
    "INVALID_MONTH": "lastUpdated is not a month, 'YYYY-MM'.",
    "INVALID_YEAR": "A year is before the first one recorded or after this year.",
    "LAST_UPDATED_NOT_IN_SERIES": "The historical series is dated by edition, not lastUpdated.",
    "LAST_UPDATED_REQUIRED": "A country-page rating needs its 'last updated' month.",
    "NEGATIVE_VALUE": "A count or a number of days is negative.",
    "SCORE_OUT_OF_RANGE": "A category score is outside 0 and the category's maximum.",
    "TOTAL_MISMATCH": "The total is not the sum of the seven category scores.",
}
