"""The user error codes this plugin's mutations answer besides the core's (hook
``ogp_wg_user_error_codes``): values of the enum ``UserErrorCode``."""

USER_ERROR_CODES = {
    "CHAMBER_KIND_MISMATCH": "The chamber's kind does not fit the legislature's chambers.",
    "CHECKED_BEFORE_LAST_CHECK": "checkedOn is before the recorded check it would replace.",
    "DATE_IN_FUTURE": "A date lies in the future.",
    "DUPLICATE_CHAMBER": "The legislature already has this chamber.",
    "DUPLICATE_ENDORSEMENT": "The endorsement is already recorded: pass replace: true.",
    "DUPLICATE_INDICATOR": "Another check of this indicator was recorded at the same time.",
    "DUPLICATE_LEGISLATURE": "The country's legislature is already recorded.",
    "DUPLICATE_PMO": "This monitoring of the legislature is recorded: pass replace: true.",
    "TOO_FEW_CHAMBERS": "A legislature has at least one chamber.",
    "TOO_MANY_CHAMBERS": "A legislature has at most two chambers.",
}
