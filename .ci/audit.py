"""Advisory check of the pinned requirements (requirements.lock), run by .ci/run.

pip-audit cannot work from here: the registry answers a project's JSON
(https://pypi.org/pypi/NAME/json) but not a release's (/pypi/NAME/VERSION/json, which pip-audit
asks), and OSV's API is out of reach. What the project JSON does give is enough for a useful
check of each pin:
- the pinned release is yanked: fails;
- the pinned release is the newest and PyPI lists a vulnerability for it: fails;
- a newer release exists: said, with the newest version, so pins are kept current;
- the registry cannot be reached: said, and the check passes (CI must not fail on a network
  blip; the next run checks again).
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from pathlib import Path

LOCK = Path(__file__).resolve().parent.parent / "requirements.lock"
INDEX = "https://pypi.org/pypi/{name}/json"


def pins() -> list[tuple[str, str]]:
    found = []
    for line in LOCK.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            found.append((name.strip(), version.strip()))
    return found


def project(name: str) -> dict | None:  # type: ignore[type-arg]
    try:
        with urllib.request.urlopen(INDEX.format(name=name), timeout=20) as answer:  # noqa: S310
            return json.load(answer)
    except (urllib.error.URLError, TimeoutError, ValueError):
        return None


def newest_in_series(data: dict, version: str) -> str:  # type: ignore[type-arg]
    """The newest final release with the same major.minor as `version` (Django 5.2.x for a
    5.2 LTS pin): a pin behind it misses fixes without any change of API."""
    from packaging.version import InvalidVersion, Version

    try:
        pinned = Version(version)
    except InvalidVersion:
        return version
    best = pinned
    for text, files in (data.get("releases") or {}).items():
        try:
            candidate = Version(text)
        except InvalidVersion:
            continue
        if (
            candidate.release[:2] == pinned.release[:2]
            and not candidate.is_prerelease
            and candidate > best
            and files
            and not all(f.get("yanked") for f in files)
        ):
            best = candidate
    return str(best) if best != pinned else version


def main() -> int:
    problems, behind, unreachable = [], [], []
    for name, version in pins():
        data = project(name)
        if data is None:
            unreachable.append(name)
            continue
        newest = data["info"]["version"]
        files = data.get("releases", {}).get(version, [])
        if files and all(f.get("yanked") for f in files):
            reason = files[0].get("yanked_reason") or "no reason given"
            problems.append(f"{name}=={version} is yanked: {reason}")
        in_series = newest_in_series(data, version)
        if in_series != version:
            problems.append(
                f"{name}=={version}: {in_series} is out in the same series (bug and security "
                "fixes): update the pin"
            )
        if version == newest:
            for vuln in data.get("vulnerabilities") or []:
                ids = ", ".join([vuln.get("id", "?"), *vuln.get("aliases", [])])
                fixed = ", ".join(vuln.get("fixed_in") or []) or "no fix yet"
                problems.append(f"{name}=={version}: {ids} (fixed in: {fixed})")
        else:
            behind.append(f"{name} {version} -> {newest}")
    for line in behind:
        print(f"audit: newer release: {line}")
    if unreachable:
        print(f"audit: could not reach the registry for {', '.join(unreachable)}; not checked")
    for line in problems:
        print(f"audit: {line}", file=sys.stderr)
    checked = len(pins()) - len(unreachable)
    print(f"audit: {checked} pins checked, {len(problems)} problem(s), {len(behind)} behind")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
