"""Badge sites: the badges minted from a day on are published on a site of their own, and still verify."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from microcred.badges import ob2
from microcred.badges.urls import Urls
from microcred.catalog.arrangements import BadgeSite
from microcred.cli import main
from microcred.site.badgesites import folder_name, repository
from support import ROOT, Run
from test_mint import DEE_ALPHA, DEE_BASICS, DEE_BETA, DEE_GAMMA, EVE_ALPHA, KEY, NOW, SITE, WORKFLOW, mint, mint_repo, pem

BADGES_2026 = "https://consortium.example.org/badges-2026/"
SAMPLE_SITE = "https://three-rivers.example.org/microcredentials/"
SAMPLE_BADGE_SITE = "https://three-rivers.example.org/badges-2026/"
NSATO_TASKS, NSATO_STACK = "80e0df6a-1b22-5112-9196-d2887b9d23fc", "39bf8b4c-fa0f-5e3f-86b7-7c00c293b1b8"


def with_badge_sites(repo: Path, *sites: tuple[str, str]) -> None:
    lines = "".join(f'  - url: {url}\n    from: "{day}"\n' for day, url in sites)
    consortium = repo / "catalog/consortium.yml"
    consortium.write_text(consortium.read_text(encoding="utf-8") + f"badge_sites:\n{lines}", encoding="utf-8")


def doc(repo: Path, uuid: str) -> dict[str, object]:
    return dict(json.loads((repo / f"badges/assertions/{uuid}.json").read_text(encoding="utf-8")))


# -- addresses ------------------------------------------------------------------------------------


def test_a_badge_takes_the_site_of_its_day_and_every_site_maps_to_the_same_files() -> None:
    urls = Urls(SITE, (("2026-11-01", BADGES_2026), ("2027-08-01", "https://archive.example.net/2027/")))
    assert urls.on("2026-10-31T23:59:59Z").assertion("u") == f"{SITE}badges/assertions/u.json"
    assert urls.on("2026-11-01T00:00:00Z").assertion("u") == f"{BADGES_2026}badges/assertions/u.json"
    assert urls.on("2027-08-01").badge_page("u") == "https://archive.example.net/2027/badges/earned/u/"
    on_site = urls.on("2026-11-02")
    assert on_site.issuer == f"{SITE}badges/issuer.json" and on_site.badge_class("c", "1.0.0") == f"{SITE}badges/classes/c-1.0.0.json"
    assert {urls.path(on_site.credential("u")), urls.path(urls.credential("u"))} == {"badges/credentials/u.jwt"}
    assert urls.canonical(f"{BADGES_2026}badges/assertions/u.json") == f"{SITE}badges/assertions/u.json"
    assert urls.at(f"{BADGES_2026}badges/assertions/u.json").own == BADGES_2026
    assert urls.at(f"{SITE}badges/assertions/u.json").own is None
    assert urls.at("https://elsewhere.example/badges/assertions/u.json").own is None


def test_the_policy_names_every_site_in_the_one_form_verifiers_read() -> None:
    alone = Urls(SITE)
    assert ob2.policy(alone) == {"type": "VerificationObject", "startsWith": f"{SITE}badges/assertions/"}
    one_origin = Urls(SITE, (("2026-11-01", BADGES_2026),))
    assert ob2.policy(one_origin) == {"type": "VerificationObject", "startsWith": "https://consortium.example.org/"}
    two = Urls(SITE, (("2026-11-01", "https://archive.example.net/2026/"),))
    assert ob2.policy(two) == {"type": "VerificationObject", "allowedOrigins": ["archive.example.net", "consortium.example.org"]}
    for urls in (one_origin, two):
        for site in urls.bases:
            assert ob2.allows(ob2.policy(urls), f"{SITE}badges/issuer.json", f"{site}badges/assertions/u.json")
        assert not ob2.allows(ob2.policy(urls), f"{SITE}badges/issuer.json", "https://other.example/badges/assertions/u.json")
    assert not ob2.allows(ob2.policy(alone), f"{SITE}badges/issuer.json", f"{BADGES_2026}badges/assertions/u.json")


def test_a_published_policy_is_only_ever_widened() -> None:
    published = {"id": f"{SITE}badges/issuer.json", "name": "Kept", "verification": ob2.policy(Urls(SITE))}
    urls = Urls(SITE, (("2026-11-01", BADGES_2026),))
    wider = ob2.widened(published, urls)
    assert wider == {**published, "verification": {"type": "VerificationObject", "startsWith": "https://consortium.example.org/"}}
    assert ob2.widened(wider, urls) is None and ob2.widened(wider, Urls(SITE)) is None  # never narrowed back
    by_origin = {**published, "verification": {"type": "VerificationObject", "allowedOrigins": "mirror.example"}}
    widened = ob2.widened(by_origin, urls)
    assert widened is not None
    assert widened["verification"] == {"type": "VerificationObject", "allowedOrigins": ["consortium.example.org", "mirror.example"]}


def test_a_badge_sites_folder_and_repository() -> None:
    assert folder_name("https://three-rivers.github.io/badges-2027/") == "three-rivers.github.io_badges-2027"
    assert repository(BadgeSite("2027-08-01", "https://three-rivers.github.io/badges-2027/")) == "three-rivers/badges-2027"
    assert repository(BadgeSite("2027-08-01", "https://three-rivers.github.io/")) == "three-rivers/three-rivers.github.io"
    assert repository(BadgeSite("2027-08-01", "https://badges.example.org/2027/")) == ""
    assert repository(BadgeSite("2027-08-01", "https://badges.example.org/2027/", "tr/archive-2027")) == "tr/archive-2027"


# -- consortium.yml -------------------------------------------------------------------------------


def test_badge_sites_out_of_order_or_nested_are_refused_with_their_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = mint_repo(tmp_path / "repo")
    with_badge_sites(repo, ("2026-11-01", BADGES_2026), ("2026-11-01", f"{SITE}badges/old/"), ("2026-10-01", "https://b.example/"))
    assert main(["validate", "--root", str(repo)]) == 1
    # consortium.yml's 7 lines, then badge_sites: each site's url and from on lines 9-10, 11-12, 13-14
    assert capsys.readouterr().out.splitlines() == [
        f"catalog/consortium.yml:11:10: MC231 the badges of {SITE}badges/old/ would be under those of the catalog's site_url "
        "or hold them: each badge's address must name one site [badge_sites[1].url]",
        "catalog/consortium.yml:12:11: MC230 from 2026-11-01 is not after 2026-11-01, the day of the site before [badge_sites[1].from]",
        "catalog/consortium.yml:14:11: MC230 from 2026-10-01 is not after 2026-11-01, the day of the site before [badge_sites[2].from]",
    ]


# -- minting --------------------------------------------------------------------------------------


def test_badges_merged_from_a_sites_day_are_minted_there_and_the_issuer_allows_it(tmp_path: Path) -> None:
    repo = mint_repo(tmp_path / "repo")
    env = {"MICROCRED_SIGNING_KEY": pem(KEY), "GITHUB_REPOSITORY": "example/catalog"}
    assert mint(repo, "--offline", *NOW, env=env).code == 0  # before the badge site: everything on the catalog's site
    issuer = json.loads((repo / "badges/issuer.json").read_text(encoding="utf-8"))
    assert issuer["verification"] == ob2.policy(Urls(SITE))
    for uuid in (DEE_BETA, DEE_GAMMA, DEE_BASICS):  # merged from 2026-11-21 on: minted again with the badge site
        for rel in (f"badges/assertions/{uuid}.json", f"badges/credentials/{uuid}.jwt"):
            (repo / rel).unlink()
    shutil.rmtree(repo / "badges/swept", ignore_errors=True)
    with_badge_sites(repo, ("2026-11-01", BADGES_2026))
    run = mint(repo, "--offline", *NOW, env=env)
    assert run.code == 0, run.err
    assert [line.split("; page ")[1] for line in run.out.splitlines() if line.startswith("minted")] == [
        f"{BADGES_2026}badges/earned/{DEE_BETA}/",
        f"{BADGES_2026}badges/earned/{DEE_GAMMA}/",
        f"{BADGES_2026}badges/earned/{DEE_BASICS}/",
    ]
    assert "warning: badges/issuer.json: its verification policy now accepts the assertions of every badge site" in run.out
    assert json.loads((repo / "badges/issuer.json").read_text(encoding="utf-8")) == {
        **issuer,
        "verification": {"type": "VerificationObject", "startsWith": "https://consortium.example.org/"},
    }
    for uuid in (DEE_ALPHA, EVE_ALPHA):
        assert doc(repo, uuid)["id"] == f"{SITE}badges/assertions/{uuid}.json"
    for uuid in (DEE_BETA, DEE_GAMMA, DEE_BASICS):
        assert doc(repo, uuid)["id"] == f"{BADGES_2026}badges/assertions/{uuid}.json"
        assert doc(repo, uuid)["badge"].startswith(f"{SITE}badges/classes/")  # type: ignore[union-attr]
    members = [e["id"] for e in doc(repo, DEE_BASICS)["evidence"] if e.get("genre") == "Badge"]  # type: ignore[union-attr]
    assert f"{SITE}badges/assertions/{DEE_ALPHA}.json" in members and f"{BADGES_2026}badges/assertions/{DEE_BETA}.json" in members
    from microcred.badges import vc

    token = (repo / f"badges/credentials/{DEE_BETA}.jwt").read_text(encoding="ascii")
    assert vc.credential_of(vc.unverified_payload(token))["id"] == f"{BADGES_2026}badges/credentials/{DEE_BETA}.jwt"
    again = mint(repo, "--offline", *NOW, env=env)
    assert (again.code, [line for line in again.out.splitlines() if line.startswith("minted")]) == (0, [])


# -- the build, verify and revoke on the sample catalog ---------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    """The sample catalog, its last credential badge and the stack it completed minted again on a badge site, then built."""
    repo = tmp_path_factory.mktemp("sample") / "repo"
    for name in ("catalog", "rubrics", "schemas", "docs", "badges", "records", "submissions"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("catalog", "index.md") if name == "docs" else None)
    shutil.copyfile(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    for uuid in (NSATO_TASKS, NSATO_STACK):
        for path in (*(repo / "badges/assertions").glob(f"{uuid}.*"), *(repo / "badges/credentials").rglob(f"{uuid}.jwt")):
            path.unlink()
    shutil.rmtree(repo / "badges/swept", ignore_errors=True)
    with_badge_sites(repo, ("2026-05-01", SAMPLE_BADGE_SITE))
    minted = mint(repo, "--offline", *NOW)
    assert minted.code == 0, minted.err
    assert main(["build", "--root", str(repo), "-q"]) == 0
    return repo, minted


def test_the_build_moves_the_badge_sites_badges_into_their_own_site(sample: tuple[Path, Run]) -> None:
    repo, _ = sample
    site, own = repo / "site", repo / "site-badges" / "three-rivers.example.org_badges-2026"
    assert (repo / "site-badges/sites.tsv").read_text() == f"three-rivers.example.org_badges-2026\t{SAMPLE_BADGE_SITE}\t\n"
    for uuid in (NSATO_TASKS, NSATO_STACK):
        assert not (site / f"badges/assertions/{uuid}.json").exists() and not (site / f"badges/earned/{uuid}").exists()
        assert (own / f"badges/assertions/{uuid}.json").read_bytes() == (repo / f"badges/assertions/{uuid}.json").read_bytes()
        assert (own / f"badges/earned/{uuid}/index.html").is_file()
    assert sorted(p.name for p in (own / "badges/assertions").iterdir()) == sorted(f"{u}.json" for u in (NSATO_TASKS, NSATO_STACK))
    assert (site / "badges/issuer.json").is_file() and not (own / "badges/issuer.json").exists()
    assert (own / ".nojekyll").is_file() and (own / "assets/javascripts/verify.js").is_file()
    assert not (own / "badges/classes").exists()  # classes and their artwork are read from the catalog's site
    front = (own / "index.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in front and f'<a href="{SAMPLE_SITE}">the catalog' in front
    page = (own / f"badges/earned/{NSATO_STACK}/index.html").read_text(encoding="utf-8")
    assert f'data-mc-site="{SAMPLE_SITE}" data-mc-own="{SAMPLE_BADGE_SITE}"' in page
    assert f'<link rel="canonical" href="{SAMPLE_BADGE_SITE}badges/earned/{NSATO_STACK}/">' in page
    assert f'href="{SAMPLE_SITE}find-badges/"' in page and f'href="{SAMPLE_SITE}catalog/stacks/culturally-responsive-practice/"' in page
    assert f'src="{SAMPLE_SITE}badges/classes/stack-culturally-responsive-practice.png"' in page  # not copied to every badge site
    tasks = (own / f"badges/earned/{NSATO_TASKS}/index.html").read_text(encoding="utf-8")
    assert f'class="mc-badge-art" src="{SAMPLE_SITE}badges/classes/community-connected-tasks-1.0.0.png"' in tasks
    assert f'href="../../../badges/earned/{NSATO_TASKS}/"' in page  # a member on the same badge site
    assert 'src="../../../assets/javascripts/verify.js"' in page
    entries = [
        e
        for path in (site / "badges/recipients").rglob("*.json")
        for v in json.loads(path.read_text()).values()
        if isinstance(v, list)
        for e in v
    ]
    pages = {e["u"]: e.get("p") for e in entries if isinstance(e, dict) and "u" in e}
    assert pages[NSATO_TASKS] == f"{SAMPLE_BADGE_SITE}badges/earned/{NSATO_TASKS}/"
    assert pages["a53891ea-fa7e-5c4e-b4db-a1d634d07df6"] is None  # a badge of the catalog's site names no page


def test_a_badge_site_badge_verifies_from_the_repository_and_is_revoked_by_its_own_id(
    sample: tuple[Path, Run], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(sample[0], repo, ignore=shutil.ignore_patterns("site", "site-badges"))
    address = f"{SAMPLE_BADGE_SITE}badges/assertions/{NSATO_STACK}.json"
    verify = ["verify", "--root", str(repo), "--site", str(repo), "--now", "2027-01-01T00:00:00Z", address]
    assert main(verify) == 0
    assert capsys.readouterr().out.startswith(f"VALID: {address}\n")
    assert main(["revoke", "--root", str(repo), NSATO_TASKS, "--reason", "Withdrawn."]) == 0
    listed = json.loads((repo / "badges/revocations.json").read_text(encoding="utf-8"))["revokedAssertions"]
    assert {e["id"] for e in listed} >= {f"{SAMPLE_BADGE_SITE}badges/assertions/{u}.json" for u in (NSATO_TASKS, NSATO_STACK)}
    capsys.readouterr()
    assert main(verify) != 0
    assert capsys.readouterr().out.startswith(f"REVOKED: {address}\n")


def test_a_badge_site_over_its_budget_is_refused(sample: tuple[Path, Run], tmp_path: Path) -> None:
    from microcred.site.build import BuildError, build

    repo = tmp_path / "repo"
    shutil.copytree(sample[0], repo, ignore=shutil.ignore_patterns("site", "site-badges"))
    consortium = repo / "catalog/consortium.yml"
    consortium.write_text(consortium.read_text().replace("badge_sites:", "site_budget_mb: 8\nbadge_sites:"))
    (repo / f"badges/credentials/{NSATO_TASKS}.jwt").write_bytes(b"e" * (9 * 1024 * 1024))  # only the badge site's
    with pytest.raises(BuildError) as refused:
        build(repo, repo / "site", lambda _: None)
    assert str(refused.value).startswith(f"the badge site {SAMPLE_BADGE_SITE} is ")
    assert "over budget, so it is not published" in str(refused.value)


# -- the workflow step that publishes them --------------------------------------------------------


def publish_step(repo: Path, runner: Path, origin: Path, token: str = "token") -> subprocess.CompletedProcess[str]:  # noqa: S107
    """The workflow's "Publish the badge sites" step as GitHub runs it (bash -e), its pushes sent to the bare `origin`."""
    (found,) = [
        s for s in yaml.safe_load(WORKFLOW.read_text())["jobs"]["mint-publish"]["steps"] if s.get("name") == "Publish the badge sites"
    ]
    assert found["if"] == "${{ hashFiles('site-badges/sites.tsv') != '' }}"
    values = {"SITES_TOKEN": token, "SERVER_URL": "https://github.example"}
    env = {name: values[name] if "${{" in str(value) else str(value) for name, value in found["env"].items()}
    runner.mkdir(exist_ok=True)
    env |= {
        "PATH": os.environ["PATH"],
        "HOME": str(runner),
        "RUNNER_TEMP": str(runner),
        "GITHUB_SHA": "f" * 40,
        "GITHUB_RUN_ID": "77",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.{origin}.insteadOf",
        "GIT_CONFIG_VALUE_0": "https://x-access-token:token@github.example/three-rivers/badges-2026.git",
    }
    script = runner / "publish.sh"
    script.write_text(found["run"], encoding="utf-8")
    return subprocess.run(["bash", "--noprofile", "--norc", "-e", str(script)], cwd=repo, env=env, capture_output=True, text=True)


def test_the_workflow_publishes_each_badge_site_to_its_repository_once_per_change(sample: tuple[Path, Run], tmp_path: Path) -> None:
    from microcred.site.build import build

    repo = tmp_path / "repo"
    shutil.copytree(sample[0], repo, ignore=shutil.ignore_patterns("site", "site-badges"))
    origin = tmp_path / "badges-2026.git"
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], check=True)
    build(repo, repo / "site", lambda _: None)
    unnamed = publish_step(repo, tmp_path / "runner-0", origin)
    assert unnamed.returncode == 1
    assert f"::error::no repository publishes {SAMPLE_BADGE_SITE}: give its repository in consortium.yml's badge_sites" in unnamed.stdout
    consortium = repo / "catalog/consortium.yml"
    consortium.write_text(consortium.read_text() + "    repository: three-rivers/badges-2026\n")
    build(repo, repo / "site", lambda _: None)
    assert publish_step(repo, tmp_path / "runner-1", origin, token="").stdout.startswith("::error::consortium.yml lists badge sites")
    first = publish_step(repo, tmp_path / "runner-1", origin)
    assert (first.returncode, first.stdout) == (0, f"{SAMPLE_BADGE_SITE}: published from three-rivers.example.org_badges-2026\n"), (
        first.stderr
    )
    files = subprocess.run(["git", "-C", str(origin), "ls-tree", "-r", "--name-only", "gh-pages"], capture_output=True, text=True).stdout
    own = repo / "site-badges/three-rivers.example.org_badges-2026"
    assert files.splitlines() == sorted(p.relative_to(own).as_posix() for p in own.rglob("*") if p.is_file())
    again = publish_step(repo, tmp_path / "runner-2", origin)
    assert (again.returncode, again.stdout) == (0, f"{SAMPLE_BADGE_SITE}: unchanged\n")
    log = subprocess.run(["git", "-C", str(origin), "log", "--format=%an %s", "gh-pages"], capture_output=True, text=True).stdout
    assert log == f"microcred-mint Badges of {SAMPLE_BADGE_SITE} [microcred mint]\n"
