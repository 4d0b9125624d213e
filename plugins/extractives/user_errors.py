"""The user error codes this plugin's mutations answer besides the core's (hook
``ogp_wg_user_error_codes``): values of the enum ``UserErrorCode``; README.md explains each."""

USER_ERROR_CODES = {
    "ASSESSMENT_SCALE_MISMATCH": "The overall assessment is not on the scale of that Standard.",
    "DATE_PRECISION_MISMATCH": "A date known to the month or year only is not its first day.",
    "DATES_OUT_OF_ORDER": "A date is before one it must follow.",
    "DUPLICATE_BENEFICIAL_OWNER": "This beneficial ownership is already recorded.",
    "DUPLICATE_CONTRACT_DISCLOSURE": "This contract disclosure is already recorded.",
    "DUPLICATE_EITI_MEMBERSHIP": "The country's EITI status is already recorded.",
    "DUPLICATE_PROJECT": "This country already has a project of that name.",
    "DUPLICATE_REQUIREMENT": "A Requirement is assessed twice in one Validation.",
    "DUPLICATE_STATUS_CHANGE": "A status change of this country on that date is recorded.",
    "DUPLICATE_VALIDATION": "A Validation of this country on that date is recorded.",
    "INVALID_COMPANY": "The organisation is not a company (PRIVATE_SECTOR or GOVERNMENT).",
    "INVALID_OPERATOR": "The operator is not a company (PRIVATE_SECTOR or GOVERNMENT).",
    "INVALID_REQUIREMENT": "Not an EITI Requirement number such as '1.3'.",
    "NOT_AN_EITI_COUNTRY": "The country has no EITI status: record it first.",
    "OPERATOR_REQUIRED": "operatorSince needs the operator.",
    "PERCENT_OUT_OF_RANGE": "An ownership percentage is not above 0 and at most 100.",
    "PROJECT_COUNTRY_MISMATCH": "Contract disclosures of the project name another country.",
    "SCORES_NOT_IN_MODEL": "The Validation model of that assessment has no such score.",
    "SCORE_OUT_OF_RANGE": "A score is outside its scale.",
    "SUSPENSION_REASON_NOT_SUSPENDED": "Only a suspended country has a suspension reason.",
    "SUSPENSION_REASON_REQUIRED": "A suspension needs its reason.",
}
