from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Surveys"

    def ready(self) -> None:
        # Registers the rules of who may do what, which Django's permission checks ask.
        from surveys import permissions  # noqa: F401

        # Connects the receiver that notes at sign-in whether a code will be asked (two-factor).
        # Connects the receiver that puts a person's stored language in force at sign-in.
        from surveys.accounts import (
            languages,  # noqa: F401
            two_factor,  # noqa: F401
        )

        # Connects the receivers that queue the public report files when published figures change,
        # and those that record a new version of the open data (whose files the builds then know);
        # registers the builder of the Handbook 7.2.6 table with the report (surveys.reports.tables).
        from surveys.reports import (
            builds,  # noqa: F401
            examples,  # noqa: F401
            opendata,  # noqa: F401
        )

        # Connects the receivers that mark kept published pages out of date.
        from surveys.responses import page_cache  # noqa: F401
