import pytest


@pytest.fixture
def signed_in_page(page, live_server):
    """sign_in(user) → a Playwright page signed in through the real login form."""

    def sign_in(user, password="persona-password"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/surveys/")
        return page

    return sign_in
