"""Who may use Sanad (issue 12, point 2): keys, sign-in, a proxy's header and editors, over real
HTTP on loopback. Every route that runs the bot or changes the index is refused without a
credential; the documented error format holds for 401, 404 and 405."""

import json

import httpx
import pytest
from starlette.datastructures import Headers

from bot.access import Access
from bot.settings import Settings
from tests.conftest import OUTPUT
from tests.test_api import AR_TRADE, sanad

KEY = {"Authorization": "Bearer k2"}
# Gradio's routes that run the bot, change the index or show the app, and a body for each
GRADIO_ROUTES = [
    ("POST", "/gradio_api/call/ask", {"data": [AR_TRADE, []]}),
    ("POST", "/gradio_api/run/ask", {"data": [AR_TRADE, []]}),
    (
        "POST",
        "/gradio_api/queue/join",
        {"data": [AR_TRADE, []], "fn_index": 0, "session_hash": "s1"},
    ),  # fmt: skip
    ("POST", "/gradio_api/upload", None),
    ("GET", "/config", None),
    ("GET", "/gradio_api/info", None),
]


def call(url: str, method: str, path: str, body, headers=None, cookies=None) -> httpx.Response:
    files = {"files": ("a.txt", "نص".encode())} if path.endswith("/upload") else None
    return httpx.request(method, url + path, json=body, files=files, headers=headers,
                         cookies=cookies, timeout=30)  # fmt: skip


def test_access_reads_named_and_bare_keys_users_and_editors() -> None:
    access = Access.from_settings(Settings(api_keys="portal:s3cret, bare", users="alice:pw",
                                           editors="alice, ", auth_header="X-User"))  # fmt: skip
    assert access.keys == {"portal": "s3cret", "key-2": "bare"}
    assert access.key_name("Bearer s3cret") == "portal"
    assert access.key_name("Bearer bare") == "key-2"
    assert access.key_name("Bearer nope") is None and access.key_name("Basic s3cret") is None
    assert access.check_password("alice", "pw") and not access.check_password("alice", "PW")
    assert not access.check_password("bob", "pw")
    assert access.identify(Headers({"x-user": " carol "})) == "carol"
    assert access.identify(Headers({"Authorization": "Bearer bare"})) == "key:key-2"
    assert access.identify(Headers({"Authorization": "Bearer nope"})) is None
    assert access.may_edit("alice") and not access.may_edit("carol") and not access.may_edit(None)
    assert Access().may_edit(None), "an open install lets its one user add articles"
    assert not Access().enabled and access.enabled


def test_keys_guard_every_gradio_route_too(seeded_indexer, tmp_path) -> None:
    with sanad(seeded_indexer, tmp_path, "بلغت 240.1 مليار دولار [1].", api_keys="k1,k2") as (
        url, _):  # fmt: skip
        refused = {path: call(url, method, path, body) for method, path, body in GRADIO_ROUTES}
        page = httpx.get(f"{url}/")
        with_key = httpx.post(f"{url}/gradio_api/call/ask", json={"data": [AR_TRADE, []]},
                              headers=KEY, timeout=30)  # fmt: skip
        result = httpx.get(f"{url}/gradio_api/call/ask/{with_key.json()['event_id']}",
                           headers=KEY, timeout=30)  # fmt: skip
    assert {path: r.status_code for path, r in refused.items()} == {
        path: 401 for _, path, _ in GRADIO_ROUTES}  # fmt: skip
    assert page.status_code == 401, "with keys alone the web chat is closed, not open"
    assert with_key.status_code == 200 and "240.1" in result.text


def test_api_errors_keep_their_format(seeded_indexer, tmp_path) -> None:
    with sanad(seeded_indexer, tmp_path, api_keys="k1,k2") as (url, _):
        malformed = httpx.post(f"{url}/api/ask", content=b"{not json",
                               headers={"Authorization": "Bearer wrong",
                                        "Content-Type": "application/json"})  # fmt: skip
        malformed_right_key = httpx.post(
            f"{url}/api/ask",
            content=b"{not json",
            headers={**KEY, "Content-Type": "application/json"},
        )
        unknown = httpx.get(f"{url}/api/nothing-here", headers=KEY)
        unknown_no_key = httpx.get(f"{url}/api/nothing-here")
        wrong_method = httpx.get(f"{url}/api/ask", headers=KEY)
        chat_unknown = httpx.get(f"{url}/no/such/page", headers=KEY)
    assert malformed.status_code == 401 and malformed.json()["error"]["code"] == "unauthorized"
    assert malformed_right_key.status_code == 400
    assert malformed_right_key.json()["error"]["code"] == "malformed"
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"
    assert unknown_no_key.status_code == 401, "no key: nothing about the routes is told"
    assert wrong_method.status_code == 405
    assert wrong_method.json()["error"]["code"] == "method_not_allowed"
    assert wrong_method.headers["allow"] == "POST"
    assert chat_unknown.status_code == 404 and chat_unknown.json()["error"]["code"] == "not_found"


def sign_in(url: str, name: str, password: str) -> httpx.Cookies:
    response = httpx.post(f"{url}/login", data={"username": name, "password": password})
    assert response.status_code == 200, response.text
    return response.cookies


def event_index(config: dict, elem_id: str) -> int:
    """The position (fn_index) of the event a button with this elem_id triggers."""
    ids = {c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == elem_id}
    return next(n for n, d in enumerate(config["dependencies"])
                if any(target[0] in ids for target in d["targets"]))  # fmt: skip


def run_event(url: str, cookies, fn_index: int, data: list) -> list:
    """Run one of the chat's events as the page does (join the queue, read its stream)."""
    joined = httpx.post(f"{url}/gradio_api/queue/join", cookies=cookies, timeout=30,
                        json={"data": data, "fn_index": fn_index, "session_hash": "s9",
                              "event_data": None, "trigger_id": None})  # fmt: skip
    assert joined.status_code == 200, joined.text
    with httpx.stream("GET", f"{url}/gradio_api/queue/data", params={"session_hash": "s9"},
                      cookies=cookies, timeout=60) as stream:  # fmt: skip
        for line in stream.iter_lines():
            message = json.loads(line[6:]) if line.startswith("data: ") else {}
            if message.get("msg") == "process_completed":
                assert "data" in message["output"], message["output"]
                return message["output"]["data"]
    raise AssertionError("the event did not complete")


@pytest.mark.parametrize("user, may_add", [("ed", True), ("reader", False)])
def test_signed_in_users_and_the_editor_role(seeded_indexer, tmp_path, user, may_add) -> None:
    with sanad(seeded_indexer, tmp_path, users="ed:pw1,reader:pw2", editors="ed") as (url, _):
        before = call(url, "GET", "/config", None)
        wrong = httpx.post(f"{url}/login", data={"username": user, "password": "nope"})
        cookies = sign_in(url, user, "pw1" if user == "ed" else "pw2")
        config = httpx.get(f"{url}/config", cookies=cookies).json()
        article = tmp_path / "new.txt"
        article.write_text("خبر جديد عن افتتاح مكتبة عامة في المدينة.\n" * 3, encoding="utf-8")
        uploaded = httpx.post(
            f"{url}/gradio_api/upload",
            cookies=cookies,
            files={"files": ("new.txt", article.read_bytes())},
        ).json()
        report, table = run_event(
            url,
            cookies,
            event_index(config, "sanad-add"),
            [[{"path": uploaded[0], "meta": {"_type": "gradio.FileData"}}]],
        )
        passages = seeded_indexer.store.count()
        # removing an article: the same role (the page hides it from others; a script that
        # calls the event by its index is refused too)
        _, removal_note, _ = run_event(url, cookies, event_index(config, "sanad-confirm-remove"),
                                       ["000_479f4305cba7f61e.txt", ""])  # fmt: skip
        left = seeded_indexer.store.count()
        api = httpx.get(f"{url}/api/articles", cookies=cookies)
    assert before.status_code == 401 and wrong.status_code == 400
    if may_add:
        assert removal_note.startswith("Removed") and left < passages
    else:
        assert removal_note.startswith("Adding articles is for editors") and left == passages
    added = [row for row in table["data"] if row[1] == "new.txt"]
    if may_add:
        assert "1" in report and len(added) == 1
    else:
        assert report.startswith("Adding articles is for editors") and not added
        assert passages == sum(row[-1] for row in table["data"]), "the index did not change"
    assert api.status_code == 401, "a web sign-in is not an API key"


def test_a_proxys_header_names_the_user(seeded_indexer, tmp_path) -> None:
    with sanad(seeded_indexer, tmp_path, "بلغت 240.1 مليار دولار [1].",
               auth_header="X-Forwarded-User") as (url, _):  # fmt: skip
        without = [call(url, method, path, body) for method, path, body in GRADIO_ROUTES]
        page = httpx.get(f"{url}/", headers={"X-Forwarded-User": "alice"})
        ask = httpx.post(f"{url}/api/ask", json={"question": AR_TRADE},
                         headers={"X-Forwarded-User": "alice"}, timeout=30)  # fmt: skip
        no_user = httpx.post(f"{url}/api/ask", json={"question": AR_TRADE})
    assert all(r.status_code == 401 for r in without)
    assert page.status_code == 200 and ask.status_code == 200 and no_user.status_code == 401
    assert "240.1" in ask.json()["answer"]


def test_signing_in_in_the_browser(seeded_indexer, tmp_path, browser) -> None:
    """Gradio's sign-in page, then the chat; a reader sees no upload, and is told why."""
    with sanad(seeded_indexer, tmp_path, users="ed:pw1,reader:pw2", editors="ed") as (url, _):
        page = browser.new_page(locale="en-US")
        page.goto(url)
        page.fill("input[type=password]", "pw2")
        page.locator("input:not([type=password])").first.fill("reader")
        page.screenshot(path=OUTPUT / "sign-in.png")
        page.keyboard.press("Enter")
        page.wait_for_selector("#sanad-chat", timeout=30_000)
        page.get_by_role("tab", name="Articles").click()
        page.wait_for_selector("#sanad-upload-report:has-text('editors')", timeout=30_000)
        upload_shown = page.locator("#sanad-upload").is_visible()
        add_shown = page.locator("#sanad-add").is_visible()
        page.screenshot(path=OUTPUT / "signed-in-reader.png", full_page=True)
        page.close()
    assert not upload_shown and not add_shown
