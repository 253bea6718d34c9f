"""The error codes of registration, sign-in and passwords, with their messages."""

from core.exceptions import ErrorCode


class AccountsError(ErrorCode):
    PHONE_TAKEN = "phone_taken", "A user with this phone number already exists."
    EMAIL_TAKEN = "email_taken", "A user with this email address already exists."
    WRONG_PASSWORD = "wrong_password", "Your current password is not correct."
    INVALID_RESET_TOKEN = (
        "invalid_reset_token",
        "This password reset link is invalid or has expired.",
    )
    ACCOUNT_LOCKED = (
        "account_locked",
        "Too many failed sign-in attempts. This account is locked for 15 minutes; "
        "try again later or reset your password.",
    )
    INVALID_CREDENTIALS = (
        "invalid_credentials",
        "The phone number or email and password do not match an active account.",
    )
    INVALID_TOKEN = "invalid_token", "This refresh token is invalid, expired or already used."
