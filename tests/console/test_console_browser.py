"""The console in a real headless browser (Debian's ``chromium`` and ``chromium-driver``, through Selenium),
against a daemon serving the demo's store on a simulated clock set just after the Friday-night hijack page:
sign in with a TOTP code, see the hijack incident, a wrong code refused, acknowledge it, the escalation's next
step never sent, the audit entry there; a form posted without its CSRF token refused. Screenshots of the
incident list and the incident page go to ``$SENTINEL_TEST_REPORT_DIR`` (default ``test-report/``).

Skipped, with the reason, where chromium, chromedriver or selenium is missing; with ``CI=true`` (``.ci/run``,
which installs them through ``deploy/ci-system-deps.sh``) it fails instead.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from console_env import SECRET_KEY, Env, enroll

from sentinel.testing.daemon import free_port, sentinel_daemon

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
REPORT = Path(os.environ.get("SENTINEL_TEST_REPORT_DIR") or ROOT / "test-report") / "console"


def _missing() -> str | None:
    if shutil.which("chromium") is None:
        return "Debian's chromium is not installed (apt-get install chromium chromium-driver)"
    if shutil.which("chromedriver") is None:
        return "chromedriver is not installed (apt-get install chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    why = _missing()
    if why is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI: {why}")
        pytest.skip(why)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = str(shutil.which("chromium"))
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,1100",
    ):
        opts.add_argument(arg)
    d = webdriver.Chrome(service=Service(str(shutil.which("chromedriver"))), options=opts)
    d.set_page_load_timeout(30)
    try:
        yield d
    finally:
        d.quit()


async def demo_daemon_env(workdir: Path) -> tuple[Path, int, Any, datetime]:
    """Run the demo into ``workdir``; add a listener and security to its config. Returns the config, the port, the
    hijack incident as the demo left it (open, paging sara), and the time of the demo's last event."""
    from sentinel.commands.demo import run_demo
    from sentinel.incidents.store import IncidentStore
    from sentinel.store.sqlite import SqliteDatabase

    assert await run_demo(workdir, io.StringIO()) == 0
    db = SqliteDatabase.open(str(workdir / "sentinel.db"))
    try:
        store = IncidentStore(db)
        states = [await store.get(i) for i in await store.list_ids(open_only=True)]
        last = await db.fetchone("SELECT time FROM events ORDER BY seq DESC LIMIT 1")
    finally:
        await db.close()
    [hijack] = [s for s in states if s is not None and str(s.category) == "hijack"]
    port = free_port()
    cfg = workdir / "sentinel.yaml"
    cfg.write_text(
        cfg.read_text()
        + f"""server:
  host: 127.0.0.1
  port: {port}
  ingest_token: ${{SENTINEL_INGEST_TOKEN}}
logging:
  format: json
security:
  secret_key: {SECRET_KEY}
  console:
    roles: {{sara: admin}}
"""
    )
    assert last is not None
    return cfg, port, hijack, datetime.fromisoformat(str(last[0]))


async def test_sign_in_see_the_demo_hijack_acknowledge_it_and_see_escalation_stop(
    driver: Any, tmp_path_factory: Any
) -> None:
    from selenium.webdriver.common.by import By

    workdir: Path = tmp_path_factory.mktemp("demo")
    cfg, port, hijack, last = await demo_daemon_env(workdir)
    start = last + timedelta(minutes=1)  # the morning after: the hijack still open, its escalation repeating
    totp = await enroll(workdir, ("sara",), at=start - timedelta(days=1))
    REPORT.mkdir(parents=True, exist_ok=True)
    env_vars = {"SENTINEL_TEST_CLOCK": start.isoformat()}
    async with sentinel_daemon(cfg, port, "browser-test-ingest", env=env_vars) as daemon:
        env = Env(daemon, totp, None, workdir, now=start)  # type: ignore[arg-type]
        url = daemon.url

        def text(css: str) -> str:
            return str(driver.find_element(By.CSS_SELECTOR, css).text)

        def follow(by: str, what: str) -> None:
            """Click what submits a form or follows a link, and wait (up to 10 s) until the page it was on is gone:
            else the next look may find an element of the old page as the new one replaces it (stale)."""
            from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
            from selenium.webdriver.support.wait import WebDriverWait

            def gone(_: Any) -> bool:
                # Selenium's staleness_of, and what chromedriver says instead of "stale" when it asks about the
                # old page while the new one replaces it (SeleniumHQ/selenium#15401)
                try:
                    old.is_enabled()
                except StaleElementReferenceException:
                    return True
                except WebDriverException as e:
                    if "does not belong to the document" not in str(e):
                        raise
                    return True
                return False

            old = driver.find_element(By.TAG_NAME, "html")
            driver.find_element(by, what).click()
            WebDriverWait(driver, 10).until(gone)

        def pages() -> list[str]:
            """The pages sent (not the all-clear notices) in the incident's Paged table."""
            rows = [r.text for r in driver.find_elements(By.CSS_SELECTOR, "#paged tbody tr")]
            return [r for r in rows if r.endswith(" page")]

        # sign in: the console sends a stranger to the sign-in page first
        driver.get(url + "/")
        assert "/sign-in" in driver.current_url
        driver.find_element(By.NAME, "person").send_keys("sara")
        driver.find_element(By.NAME, "code").send_keys(await env.code("sara"))
        follow(By.ID, "sign-in")
        assert driver.title.startswith("Incidents"), driver.page_source[:2000]
        assert hijack.id in text("main") and "Kevin Lambert" in text("main")
        driver.save_screenshot(str(REPORT / "incident-list.png"))

        follow(By.LINK_TEXT, hijack.id)
        assert text("#status") == "triggered"
        assert text("#escalation").startswith("Running")
        driver.save_screenshot(str(REPORT / "incident-page.png"))

        # a wrong code is refused
        driver.find_element(By.CSS_SELECTOR, "form[action$='/ack'] input[name=code]").send_keys(env.wrong("sara"))
        follow(By.ID, "ack")
        assert "wrong or expired code" in text("#error")
        assert text("#status") == "triggered"

        # a form without its CSRF token is refused
        driver.execute_script("document.querySelector(\"form[action$='/ack'] input[name=csrf]\").remove()")
        driver.find_element(By.CSS_SELECTOR, "form[action$='/ack'] input[name=code]").send_keys(
            totp["sara"].at(env.now)
        )
        follow(By.ID, "ack")
        assert "CSRF token is missing or wrong" in text("#error")

        # acknowledge with the next code: escalation stops
        driver.get(f"{url}/incidents/{hijack.id}")
        driver.find_element(By.CSS_SELECTOR, "form[action$='/ack'] input[name=code]").send_keys(await env.code("sara"))
        follow(By.ID, "ack")
        assert text("#flash") == "Acknowledged: escalation stopped."
        # its alerts had ended, it stayed up for a person only: acknowledged, it is over
        assert text("#status") in ("acknowledged", "resolved")
        assert text("#escalation").startswith(("Stopped: acknowledged by sara", "Ended"))
        assert "acknowledged" in text("#timeline") and "by=sara" in text("#timeline")
        paged_before = pages()
        assert hijack.next_step_at is not None and hijack.next_step_at < env.now + timedelta(hours=5)
        await env.advance(timedelta(hours=5))  # past the page that was due next: it is never sent
        driver.refresh()
        assert pages() == paged_before
        driver.save_screenshot(str(REPORT / "incident-acknowledged.png"))

        # the audit trail says who acknowledged, and the wrong code before
        driver.get(f"{url}/audit?incident={hijack.id}")
        rows = [r.text for r in driver.find_elements(By.CSS_SELECTOR, "#audit tbody tr")]
        assert any("sara" in r and " ack " in f" {r} " and " ok " in f" {r} " for r in rows), rows
        assert any("sara" in r and "invalid" in r for r in rows), rows
        driver.save_screenshot(str(REPORT / "audit.png"))
