"""The English catalogue: Vietnamese is the source language (the msgids),
English is locale/en/LC_MESSAGES/django.po.

What a user notices: after choosing EN the pages speak English, and VI is
still the default. What a developer notices: a new string left untranslated,
a fuzzy guess, a broken placeholder, a stale .mo or a string missing from the
catalogue fails here, so run ``makemessages -l en`` and translate it.
"""

import ast
import datetime
import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import django
import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tasks.choices import TaskStatus
from tasks.templatetags.tracker import days_phrase

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
LOGIN = reverse("login")
SETLANG = reverse("set_language")
# The same run as the one that makes the catalogue (see the module docstring).
MAKEMESSAGES_IGNORE = [".venv", "static/vendor", "staticfiles", "var", "tests"]


def html(response) -> str:
    return response.content.decode()


def text_of(response) -> str:
    """The page's visible words, tags removed and spaces collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html(response), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


# --- reading a .po file (no third-party parser) ------------------------------


def parse_po(path: Path) -> list[dict]:
    """Entries as dicts: msgctxt, msgid, msgid_plural, msgstr (a dict keyed
    by plural index, None for a singular entry), flags and obsolete."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry = {"msgctxt": None, "msgid": None, "msgid_plural": None}
        entry.update(msgstr={}, flags=set(), obsolete=False)
        target = None  # (field, plural index) that a continuation line extends
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
                continue
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
                continue
            if line.startswith("#"):
                continue
            keyword = re.match(
                r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])? ", line
            )
            if keyword:
                field, index = keyword.group(1), keyword.group(2)
                target = (field, int(index) if index is not None else None)
                line = line[keyword.end() :]
                value = ast.literal_eval(line)
                if field == "msgstr":
                    entry["msgstr"][target[1]] = value
                else:
                    entry[field] = value
                continue
            assert line.startswith('"') and target, f"{path.name}: {line!r}"
            value = ast.literal_eval(line)
            if target[0] == "msgstr":
                entry["msgstr"][target[1]] += value
            else:
                entry[target[0]] += value
        entries.append(entry)
    return entries


def messages(path: Path = PO) -> list[dict]:
    """The real messages: no header, no obsolete entries."""
    return [e for e in parse_po(path) if e.get("msgid") and not e.get("obsolete")]


PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdif]|\{\w*\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def shape(text: str) -> list[str]:
    """What a translation must keep: placeholders and HTML tags."""
    return sorted(PLACEHOLDER.findall(text) + TAG.findall(text))


# --- the catalogue -----------------------------------------------------------


def test_the_catalogue_is_english_with_english_plurals():
    header = next(e for e in parse_po(PO) if e.get("msgid") == "")
    assert "fuzzy" not in header["flags"]
    assert "Language: en\n" in header["msgstr"][None]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"][None]
    assert "charset=UTF-8" in header["msgstr"][None]


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = messages()
    assert len(entries) > 800
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    empty = [e["msgid"] for e in entries if any(v == "" for v in e["msgstr"].values())]
    assert not fuzzy, f"fuzzy entries, check and remove the flag: {fuzzy}"
    assert not empty, f"untranslated entries: {empty}"


def test_plural_entries_have_a_singular_and_a_plural():
    plurals = [e for e in messages() if e["msgid_plural"] is not None]
    assert plurals
    for entry in plurals:
        assert set(entry["msgstr"]) == {0, 1}, entry["msgid"]


def test_translations_keep_every_placeholder_and_tag():
    wrong = []
    for entry in messages():
        for index, text in entry["msgstr"].items():
            source = entry["msgid_plural"] if index == 1 else entry["msgid"]
            if shape(text) != shape(source):
                wrong.append((entry["msgid"], text))
    assert not wrong


def test_translations_are_english_not_copies_of_the_vietnamese():
    """Proper nouns (Hà Nội, “5 rõ”, sheet names) may keep their accents, but
    no translation should be the Vietnamese text left as it was."""
    vietnamese = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")
    copied = [
        e["msgid"]
        for e in messages()
        if vietnamese.search(e["msgid"].lower())
        and any(v == e["msgid"] for v in e["msgstr"].values())
    ]
    assert not copied


def test_the_compiled_catalogue_matches_the_po_file():
    """django.mo was compiled after the last change to django.po."""
    with MO.open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)
    stale = []
    for entry in messages():
        if entry["msgid_plural"] is None:
            if entry["msgctxt"] is not None:
                got = compiled.pgettext(entry["msgctxt"], entry["msgid"])
            else:
                got = compiled.gettext(entry["msgid"])
            if got != entry["msgstr"][None]:
                stale.append(entry["msgid"])
        else:
            for n, index in ((1, 0), (2, 1)):
                got = compiled.ngettext(entry["msgid"], entry["msgid_plural"], n)
                if got != entry["msgstr"][index]:
                    stale.append(entry["msgid"])
    assert not stale, "run: manage.py compilemessages -l en"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_every_translatable_string_in_the_code_is_in_the_catalogue(tmp_path):
    """makemessages on a copy of the project finds no msgid the committed
    catalogue lacks."""
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    shutil.copytree(
        base,
        copy,
        ignore=shutil.ignore_patterns(
            ".git",
            "node_modules",
            "__pycache__",
            "*.sqlite3",
            "*.mo",
            *(p.split("/")[-1] for p in MAKEMESSAGES_IGNORE),
        ),
        symlinks=True,
    )
    command = [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"]
    command += [f"--ignore={p}" for p in MAKEMESSAGES_IGNORE]
    subprocess.run(command, cwd=copy, check=True, capture_output=True, timeout=300)

    extracted = {
        (e["msgctxt"], e["msgid"]) for e in messages(copy / PO.relative_to(base))
    }
    committed = {(e["msgctxt"], e["msgid"]) for e in messages()}
    missing = sorted(m for _, m in extracted - committed)
    assert not missing, f"run makemessages -l en and translate: {missing}"


GETTEXT_NAMES = {"_", "gettext", "ngettext", "pgettext", "npgettext", "gettext_lazy"}


def test_no_translation_is_asked_for_inside_an_f_string():
    # xgettext does not read the expressions of an f-string: a message
    # asked for there never reaches the catalogue and stays Vietnamese in
    # English (the overview's "target" once did).
    found = []
    for path in Path(settings.BASE_DIR).rglob("*.py"):
        parts = path.relative_to(settings.BASE_DIR).parts
        if parts[0] in {".venv", "tests", "var", "staticfiles", "node_modules"}:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            for call in ast.walk(node):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Name)
                    and call.func.id in GETTEXT_NAMES
                    and call.args
                    and isinstance(call.args[0], ast.Constant)
                ):
                    found.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}")
    assert not found, f"translate before the f-string: {found}"


# --- plural forms at work ----------------------------------------------------


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (1, "1 day left"),
        (3, "3 days left"),
        (-1, "1 day overdue"),
        (-5, "5 days overdue"),
    ],
)
def test_days_phrases_use_english_plurals(days, expected):
    today = datetime.date(2026, 6, 1)
    task = SimpleNamespace(
        status=TaskStatus.IN_PROGRESS,
        deadline=today + datetime.timedelta(days=days),
        completed_on=None,
        submitted_on=None,
    )
    with translation.override("en"):
        assert days_phrase(task, today) == expected
    with translation.override("vi"):
        assert "ngày" in days_phrase(task, today)


# --- pages -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_login_page_is_vietnamese_by_default_and_english_after_choosing_en(
    client,
):
    page = html(client.get(LOGIN))
    assert '<html lang="vi">' in page
    assert ">Đăng nhập</h1>" in page

    response = client.post(SETLANG, {"language": "en", "next": LOGIN})
    assert response.status_code == 302
    assert response["Location"] == LOGIN

    response = client.get(LOGIN)
    page = html(response)
    words = text_of(response)
    assert '<html lang="en">' in page
    assert ">Sign in</h1>" in page
    assert "<title>Sign in · Directive Tracker</title>" in page
    assert "Username" in words
    assert "Password" in words
    assert "Đăng nhập" not in words
    assert "Mật khẩu" not in words

    client.post(SETLANG, {"language": "vi", "next": LOGIN})
    assert ">Đăng nhập</h1>" in html(client.get(LOGIN))


@pytest.mark.django_db
def test_only_the_switch_chooses_english_not_the_browser(client):
    """units.middleware.PreferredLanguageMiddleware ignores Accept-Language."""
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}
    assert ">Đăng nhập</h1>" in html(client.get(LOGIN, **english_browser))

    client.post(SETLANG, {"language": "en", "next": LOGIN})
    assert ">Sign in</h1>" in html(client.get(LOGIN, **english_browser))


@pytest.mark.django_db
def test_a_wrong_password_is_explained_in_english(client, people):
    client.post(SETLANG, {"language": "en", "next": LOGIN})
    response = client.post(
        LOGIN, {"username": "canbo_vp", "password": "wrong"}, REMOTE_ADDR="10.9.9.9"
    )
    assert "Incorrect username or password." in text_of(response)


def test_the_task_list_speaks_english(client, people, make_task, today):
    make_task(deadline=today + datetime.timedelta(days=20))
    make_task(
        title="Việc đã quá hạn",
        start_date=today - datetime.timedelta(days=30),
        deadline=today - datetime.timedelta(days=2),
    )
    client.force_login(people.canbo_vp)
    client.post(SETLANG, {"language": "en", "next": reverse("tasks:mine")})

    response = client.get(reverse("tasks:mine"))
    assert response.status_code == 200
    page = html(response)
    words = text_of(response)

    assert '<html lang="en">' in page
    for header in (
        "Task",
        "Lead unit · Assignee",
        "Deadline",
        "Progress",
        "Status",
        "Accountable leader",
    ):
        assert f'<th scope="col">{header}</th>' in page, header
    # Navigation, timeliness chips, status badges and deadline phrases.
    for phrase in (
        "My tasks",
        "Unit tasks",
        "Within deadline",
        "Due soon",
        "Overdue",
        "Done on time",
        "Done late",
        "Newly assigned",
        "20 days left",
        "2 days overdue",
        "Tasks 1–2 of 2",
    ):
        assert phrase in words, phrase
    for vietnamese in (
        "Chủ trì · Thực hiện",
        "Lãnh đạo chịu trách nhiệm",
        "Việc của tôi",
        "Trong hạn",
        "Quá hạn",
        "Mới giao",
    ):
        assert vietnamese not in words, vietnamese
    assert 'aria-label="Search and filter tasks"' in page
    # Data stays as it was entered.
    assert "Việc đã quá hạn" in words


# --- Django's own strings in Vietnamese -------------------------------------

DJANGO_VI = Path(settings.BASE_DIR) / "locale_django" / "vi" / "LC_MESSAGES"


def _keys(entries) -> set[tuple]:
    return {(e["msgctxt"], e["msgid"]) for e in entries}


def django_catalogues() -> list[tuple[str, Path]]:
    """(domain, locale directory) of Django and of every installed app that
    ships translations."""
    found = [("django", Path(django.__file__).parent / "conf" / "locale")]
    for app in apps.get_app_configs():
        locale = Path(app.path) / "locale"
        for domain in ("django", "djangojs"):
            if any(locale.glob(f"*/LC_MESSAGES/{domain}.po")):
                found.append((domain, locale))
    return found


def strings_django_leaves_in_english() -> dict[str, set[tuple]]:
    """Per domain: the messages Django and the apps may show (their English
    catalogue, else every message of any of their catalogues) that no
    Vietnamese catalogue of theirs translates."""
    shown: dict[str, set[tuple]] = {}
    vietnamese: dict[str, set[tuple]] = {}
    for domain, locale in django_catalogues():
        english = locale / "en" / "LC_MESSAGES" / f"{domain}.po"
        sources = (
            [english] if english.exists() else locale.glob(f"*/LC_MESSAGES/{domain}.po")
        )
        for po in sources:
            shown.setdefault(domain, set()).update(_keys(messages(po)))
        vi = locale / "vi" / "LC_MESSAGES" / f"{domain}.po"
        if vi.exists():
            done = [e for e in messages(vi) if any(e["msgstr"].values())]
            vietnamese.setdefault(domain, set()).update(_keys(done))
    return {d: keys - vietnamese.get(d, set()) for d, keys in shown.items()}


def test_no_string_of_django_or_its_apps_is_left_in_english():
    """Django's Vietnamese catalogues lack some strings, some apps (history,
    tree, login throttling) have none: locale_django fills them in. After an
    upgrade, this names the new ones to translate there."""
    for domain, missing in strings_django_leaves_in_english().items():
        po = DJANGO_VI / f"{domain}.po"
        ours = messages(po) if po.exists() else []
        left = missing - _keys(ours)
        assert not left, (domain, sorted(msgid for _ctx, msgid in left))
        # Each filled in, with its placeholders, and compiled.
        with po.with_suffix(".mo").open("rb") as fp:
            compiled = gettext.GNUTranslations(fp)
        for entry in ours:
            plural = entry["msgid_plural"] is not None
            translated = entry["msgstr"][0 if plural else None]
            assert translated and "fuzzy" not in entry["flags"], entry["msgid"]
            assert shape(translated) == shape(entry["msgid"]), entry["msgid"]
            if plural:
                got = (
                    compiled.npgettext(
                        entry["msgctxt"], entry["msgid"], entry["msgid_plural"], 2
                    )
                    if entry["msgctxt"]
                    else compiled.ngettext(entry["msgid"], entry["msgid_plural"], 2)
                )
            elif entry["msgctxt"]:
                got = compiled.pgettext(entry["msgctxt"], entry["msgid"])
            else:
                got = compiled.gettext(entry["msgid"])
            assert got == translated, "run: manage.py compilemessages"


def test_the_admins_action_button_is_vietnamese(client, people):
    client.force_login(people.admin)
    response = client.get(reverse("admin:units_user_changelist"))
    assert response.status_code == 200
    assert 'name="index" value="0">Thực hiện</button>' in html(response)
    assert ">Run</button>" not in html(response)


def test_a_password_too_short_is_explained_in_vietnamese(people):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        validate_password("Ab1!", people.canbo_vp)
    assert "Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất" in " ".join(
        error.value.messages
    )


def test_the_admins_calendar_names_the_days_in_vietnamese(client, people):
    """The admin's date picker reads its words from the admin's script
    catalogue, which Django's Vietnamese leaves partly in English."""
    client.force_login(people.admin)
    response = client.get(reverse("admin:jsi18n"))
    assert response.status_code == 200
    # The catalogue is JSON in a script: non-ASCII letters escaped.
    assert '"Monday": "Th\\u1ee9 hai"' in response.content.decode()
