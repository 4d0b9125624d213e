"""The user error codes this plugin's mutations answer besides the core's (hook
``ogp_wg_user_error_codes``): they join the enum ``UserErrorCode`` when the plugin is on."""

USER_ERROR_CODES = {
    "CYCLE_ORDER": "An action plan cycle ends before it starts.",
    "DUPLICATE_COMMITMENT": "This action plan already has a commitment with this title.",
    "INVALID_CYCLE": "Not an action plan cycle such as '2023-2025'.",
}
