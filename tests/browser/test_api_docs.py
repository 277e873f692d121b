"""/api/v1/docs under the app's own Content Security Policy (not bypassed here): the
Swagger UI comes from the vendored static files and lists the operations."""

from __future__ import annotations


def test_api_docs_show_the_operations(server, browser):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    blocked: list[str] = []
    page.on(
        "console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None
    )
    page.goto(f"{server}/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    context.close()
    assert any("/groups" in p for p in paths), paths
    assert not blocked, blocked
