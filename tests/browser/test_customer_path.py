"""The customer's path in a real browser: operator, handoff link, Okta admin, Verify.

Drives the pages as people do: the operator signs in and creates the tenant,
opens a handoff link in a fresh browser (no cookies: the customer's Okta admin),
the admin's steps are played on the simulated org with the values the page shows,
the Client ID is pasted and Verify Connection shows its four items; the first
report then appears in the workspace by itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from playwright.sync_api import Browser, Page, expect

from atomation.okta import OKTA_READ_SCOPES
from tests.browser.conftest import Screenshots
from tests.web.workspace.conftest import OPERATOR, PASSWORD, Workspace

VERIFY_TIMEOUT_MS = 60_000
# The first snapshot, its assessment and the report follow the verification.
REPORT_TIMEOUT_MS = 180_000


def signed_in_operator(browser: Browser, workspace: Workspace) -> Page:
    page = browser.new_context(base_url=workspace.base_url).new_page()
    page.goto("/login")
    page.get_by_label("E-mail").fill(OPERATOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{workspace.base_url}/tenants")
    return page


def operator_creates_tenant(
    browser: Browser, workspace: Workspace, subdomain: str, shots: Screenshots
) -> str:
    """Sign in, create the tenant, issue a handoff link; returns the link."""
    page = signed_in_operator(browser, workspace)
    context = page.context
    context.grant_permissions(["clipboard-read", "clipboard-write"])

    form = page.locator("#create-tenant")
    form.get_by_label("Tenant subdomain").fill(subdomain)
    form.get_by_label("Client name").fill(subdomain.title() + " Corp")
    form.get_by_label("Environment").fill("Production")
    form.get_by_label("Okta org URL").fill(workspace.okta.base_url)
    shots.take(page, "tenants")
    form.get_by_role("button", name="Create tenant").click()
    expect(page).to_have_url(f"{workspace.base_url}/tenants/{subdomain}")

    # The copy button puts the exact value on the clipboard.
    jwks_url = workspace.jwks_url(subdomain)
    page.locator("#values").locator(f'button[data-copy="{jwks_url}"]').click()
    assert page.evaluate("navigator.clipboard.readText()") == jwks_url

    page.get_by_role("button", name="Create handoff link").click()
    link = page.locator(".handoff-url").first.inner_text()
    shots.take(page, "setup-guide-operator")
    context.close()
    assert link.startswith(f"{workspace.base_url}/h/")
    return link


def okta_admin_sets_up_the_app(
    workspace: Workspace, page: Page, scopes: Iterable[str]
) -> str:
    """The admin's steps, with the values as the guide page shows them."""
    values = {
        row.locator("th").inner_text(): row.locator("code").inner_text()
        for row in page.locator("#values tr").all()
    }
    admin = workspace.admin
    client_id = admin.create_service_app(
        values["App name"], values["Tenant JWKS URL"], dpop=False
    )
    admin.grant_scopes(client_id, scopes)
    admin.assign_role(client_id, "READ_ONLY_ADMIN")
    return client_id


def admin_pastes_and_verifies(page: Page, client_id: str) -> None:
    page.get_by_label("Client ID").fill(client_id)
    page.get_by_role("button", name="Save Client ID").click()
    page.get_by_role("button", name="Verify Connection").click()
    # The page reloads itself while the job runs; the items appear when it ends.
    expect(page.locator("#verify-items tbody tr")).to_have_count(
        4, timeout=VERIFY_TIMEOUT_MS
    )


def operator_finds_the_report(
    browser: Browser, workspace: Workspace, subdomain: str, shots: Screenshots
) -> None:
    """The reports page reloads itself until the first report is there."""
    page = signed_in_operator(browser, workspace)
    page.goto(f"/tenants/{subdomain}/reports")
    expect(page.locator("#report-frame")).to_be_visible(timeout=REPORT_TIMEOUT_MS)
    report = page.frame_locator("#report-frame")
    expect(report.locator("h1")).to_have_text("Okta security posture report")
    expect(report.locator("#summary")).to_be_visible()
    expect(page.locator(".downloads a")).to_have_count(5)
    shots.take(page, "report-in-workspace")
    page.get_by_role("link", name="Snapshots").click()
    expect(page.locator("#snapshots tbody tr")).to_have_count(1)
    expect(page.locator("#snapshots tbody tr")).to_have_attribute(
        "data-state", "complete"
    )
    shots.take(page, "snapshots")
    page.context.close()


def test_customer_path_ends_with_four_passes(
    browser: Browser, workspace: Workspace, screenshots: Screenshots
) -> None:
    link = operator_creates_tenant(browser, workspace, "initech", screenshots)
    customer = browser.new_context()  # a fresh browser: no account, no cookies
    page = customer.new_page()
    page.goto(link)
    expect(page.locator("h1")).to_contain_text("Initech Corp (Production)")
    expect(page.locator("#scopes li")).to_have_count(10)
    expect(page.locator("#handoff")).to_have_count(0)
    screenshots.take(page, "handoff-guide")

    client_id = okta_admin_sets_up_the_app(workspace, page, OKTA_READ_SCOPES)
    admin_pastes_and_verifies(page, client_id)

    rows = page.locator("#verify-items tbody tr")
    assert [r.get_attribute("data-status") for r in rows.all()] == ["pass"] * 4
    expect(page.locator("#verified-at")).to_contain_text("Verified at")
    screenshots.take(page.locator("#verify").page, "verify-passed")
    # The link opens nothing else.
    page.goto(f"{workspace.base_url}/tenants")
    expect(page).to_have_url(f"{workspace.base_url}/login")
    page.goto(f"{workspace.base_url}/tenants/initech/reports")
    expect(page).to_have_url(f"{workspace.base_url}/login")
    customer.close()

    operator_finds_the_report(browser, workspace, "initech", screenshots)


def test_missing_scope_is_named_with_its_fix(
    browser: Browser, workspace: Workspace, screenshots: Screenshots
) -> None:
    link = operator_creates_tenant(browser, workspace, "umbrella", screenshots)
    customer = browser.new_context()
    page = customer.new_page()
    page.goto(link)
    granted = [s for s in OKTA_READ_SCOPES if s != "okta.logs.read"]

    client_id = okta_admin_sets_up_the_app(workspace, page, granted)
    admin_pastes_and_verifies(page, client_id)

    scopes = page.locator('#verify-items tr[data-item="Scopes usable"]')
    expect(scopes).to_have_attribute("data-status", "fail")
    expect(scopes.locator("td").nth(2)).to_contain_text("okta.logs.read")
    expect(scopes.locator("td").nth(3)).to_contain_text("okta.logs.read")
    expect(scopes.locator("td").nth(3)).to_contain_text("Okta API Scopes")
    expect(page.locator("#verified-at")).to_contain_text("Not verified yet.")
    screenshots.take(page, "verify-missing-scope")
    customer.close()
