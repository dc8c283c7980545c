"""The dashboard: a read-only FastAPI application built from an assessment.

``nhs_oversight.web.app.create_app(site)`` builds the application object (the command line only
builds it and runs uvicorn). Page data comes from :mod:`.views` (plain dicts, also served as JSON);
HTML comes from the same Jinja templates as the static report (:mod:`nhs_oversight.render.html`),
which :mod:`.report` puts together; the pages are listed once in :mod:`nhs_oversight.render.pages`.
Importing this package does not import FastAPI.
"""
