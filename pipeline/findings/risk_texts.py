"""What each kind of finding risks for the business: its impact (1-5) and the cost of leaving it alone.

The risk register scores risks with these, and the decisions record repeats the cost of inaction beside every
declined recommendation.
"""

from __future__ import annotations

# rule -> (impact 1-5, cost of inaction)
RULE_RISKS: dict[str, tuple[int, str]] = {
    "lifecycle.os_end_of_support": (4, "Systems without security fixes: one unpatched flaw can lead to ransomware, "
                                       "data loss and failed compliance checks or cyber-insurance claims."),
    "lifecycle.hardware_age": (2, "Old devices fail more often and slow staff down; unplanned failures cost more than "
                                  "planned replacements."),
    "lifecycle.warranty": (3, "A failed part on an out-of-warranty device is repaired or replaced at full cost; "
                              "on a server or network device it can also mean days of downtime waiting for parts."),
    "renewal.subscription": (2, "Committed subscriptions renew automatically: seats not reduced before the date are "
                                "paid for another full term."),
    "renewal.contract": (2, "An agreement that lapses leaves services without cover or terms."),
    "security.no_patch_policy": (4, "A device under no patch policy gets no security updates at all: known attacks "
                                    "stay open on it."),
    "licensing.unassigned_seats": (2, "Money spent every month on seats nobody uses."),
    "licensing.blocked_user_licensed": (2, "Money spent every month on accounts nobody can sign in to."),
    "licensing.inactive_user": (2, "Money spent every month on accounts nobody uses."),
    "security.av_not_running": (5, "An endpoint without working antivirus or EDR is the easiest way in for "
                                   "ransomware."),
    "security.patch_failed": (4, "Devices that cannot install updates stay exposed to known attacks."),
    "security.reboot_pending": (2, "Installed updates do not protect until the device restarts."),
    "security.patches_missing": (4, "Known vulnerabilities stay open while patches wait."),
    "security.agent_offline": (3, "Devices that stopped reporting are neither patched nor monitored."),
    "security.mfa_not_registered": (5, "Accounts without MFA are taken over with a single phished password: the most "
                                       "common cause of business e-mail compromise."),
    "backup.server_unprotected": (5, "Without a recent backup, a failure or ransomware attack means permanent data "
                                     "loss."),
}
CATEGORY_IMPACT = {"end_of_life": 4, "hardware_age": 2, "warranty": 3, "renewal": 2, "license_waste": 2,
                    "security": 4, "backup": 5}
DEFAULT_COST_OF_INACTION = "Left alone, this finding stays open and its cost grows."


def cost_of_inaction(rule: str) -> str | None:
    known = RULE_RISKS.get(rule)
    return known[1] if known else None
