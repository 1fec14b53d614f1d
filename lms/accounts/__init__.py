"""Learner accounts: registration, e-mail confirmation, sign-in and own data."""
