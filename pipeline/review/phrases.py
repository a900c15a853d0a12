"""Plain-words phrases shared by initiative titles, risks and the appendix: which devices, which systems."""

from __future__ import annotations

from collections import defaultdict

from ..findings.finding import Finding
from ..wording import Wording

# findings.csv's categories as a reader names them (British spelling: Wording.spell turns it American).
CATEGORY_LABELS = {"end_of_life": "End of support", "hardware_age": "Hardware age", "warranty": "Warranty",
                   "renewal": "Renewal", "license_waste": "Licence waste", "security": "Security", "backup": "Backup"}
DEVICE_NOUNS = {"desktop": "PC", "laptop": "PC", "server": "server", "network": "network device",
                "storage": "storage device", "virtual": "virtual machine", "mobile": "mobile device",
                "printer": "printer", "other": "device"}


def device_noun(finding: Finding) -> str:
    facts = finding.facts
    noun = DEVICE_NOUNS.get(facts.get("device_type") or "other", "device")
    if noun == "PC" and ("mac" in str(facts.get("model") or "").casefold()
                         or str(facts.get("os") or "").startswith("macOS")):
        return "Mac"  # a MacBook is not a PC to the people who use one
    return noun


def devices(findings: list[Finding], wording: Wording) -> str:
    """ "2 servers and 3 network devices", "12 PCs", "9 devices" (more than two kinds)."""
    kinds: dict[str, set[str]] = defaultdict(set)
    for finding in findings:
        kinds[device_noun(finding)].add(finding.subject.casefold())
    total = len({f.subject.casefold() for f in findings})
    if len(kinds) > 2:
        return wording.count(total, "device")
    return wording.join([wording.count(len(subjects), noun)
                         for noun, subjects in sorted(kinds.items(), key=lambda kv: (-len(kv[1]), kv[0]))])


def named_or_counted(findings: list[Finding], wording: Wording, noun: str | None = None,
                     limit: int = 3) -> tuple[str, bool]:
    """ "GRM-ERP01 and GRM-FS01" for up to `limit` subjects, else "42 PCs"; and whether it is plural."""
    subjects = sorted({f.subject for f in findings}, key=str.casefold)
    if len(subjects) <= limit:
        return wording.join(subjects), len(subjects) > 1
    if noun is not None:
        return wording.count(len(subjects), noun), True
    return devices(findings, wording), True


def systems(findings: list[Finding]) -> str:
    """The operating systems of end-of-support findings: one or two by name, else their family."""
    labels = sorted({str(f.facts.get("os") or "") for f in findings if f.facts.get("os")})
    if not labels:
        return "an unsupported operating system"
    if len(labels) <= 2:
        return " and ".join(labels)
    families = sorted({" ".join(label.split()[:2]) for label in labels})
    return f"{families[0]} releases" if len(families) == 1 else "unsupported operating systems"
