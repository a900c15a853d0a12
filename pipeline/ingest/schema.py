"""The canonical fields every ingest profile maps onto.

A profile (a TOML file in ``profiles/``) maps vendor columns to these fields; the
field's type decides how the cell is parsed unless the profile overrides it.  The
model stage consumes records with exactly these keys (plus ``_src``: the list of
``path:line`` references behind the record).
"""

from __future__ import annotations

# Field types understood by pipeline.ingest.values.PARSERS:
#   text      trimmed string ("" -> None)
#   serial    text with junk placeholders ("Default string", "To be filled by O.E.M.") -> None
#   date      a calendar date from ISO, US M/D/YYYY, epoch s/ms, "... CAT" and similar
#   datetime  like date but keeps the time (naive UTC)
#   bool      True/TRUE/yes/1/enabled ... -> True; False/no/0/disabled -> False
#   int       integer, thousands separators tolerated
#   money     decimal number, currency symbols and thousands separators tolerated
#   list      "+"-joined (M365 licenses) or ";"/","-joined values -> list[str]
#   semicolon_list  ";"-joined values only (roster aliases, goal tags) -> list[str]
#   av_status free text -> running | not_running | not_detected | unknown
#   patch_status free text -> ok | reboot_required | install_error | pending | no_policy | no_data | unknown
#   device_type free text -> desktop | laptop | server | network | mobile | virtual | other
#   billing_term free text -> monthly | annual | 2-year | 3-year | other
ENTITIES: dict[str, dict[str, str]] = {
    # A device as seen by one tool.  Several records (PSA configuration, RMM agent,
    # storage rows, warranty lookup) of one device are merged by the model stage.
    "device": {
        "client": "text",
        "site": "text",
        "hostname": "text",
        "serial": "serial",
        "device_type": "device_type",
        "os": "text",
        "os_build": "text",
        "manufacturer": "text",
        "model": "text",
        "purchase_date": "date",
        "install_date": "date",
        "warranty_start": "date",
        "warranty_end": "date",
        "enrolled_date": "date",
        "last_seen": "datetime",
        "last_reboot": "datetime",
        "role": "text",
        "av_product": "text",
        "av_status": "av_status",
        "patch_status": "patch_status",
        "patches_missing": "int",
        "patches_installed": "int",
        "patches_not_approved": "int",
        "last_backup": "datetime",
        "backup_status": "text",
        "status": "text",
        "external_id": "text",
    },
    # Serial -> warranty entitlement (PSWarranty and similar lookups).
    "warranty": {
        "client": "text",
        "serial": "serial",
        "warranty_product": "text",
        "warranty_start": "date",
        "warranty_end": "date",
        "warranty_status": "text",
    },
    # A Microsoft 365 / Entra user.  Exports carry no company column: the client is
    # resolved from the UPN's domain.
    "user": {
        "client": "text",
        "upn": "text",
        "display_name": "text",
        "blocked": "bool",
        "account_enabled": "bool",
        "licenses": "list",
        "created": "date",
        "user_type": "text",
        "department": "text",
        "title": "text",
    },
    # Microsoft 365 usage report "active user detail": one row per user.
    "user_activity": {
        "client": "text",
        "upn": "text",
        "display_name": "text",
        "report_date": "date",
        "is_deleted": "bool",
        "exchange_last_activity": "date",
        "onedrive_last_activity": "date",
        "sharepoint_last_activity": "date",
        "teams_last_activity": "date",
        "skype_last_activity": "date",
        "yammer_last_activity": "date",
        "assigned_products": "list",
    },
    # Authentication-method / MFA registration details.
    "mfa": {
        "client": "text",
        "upn": "text",
        "display_name": "text",
        "mfa_registered": "bool",
        "is_admin": "bool",
        "methods": "list",
    },
    # Distributor (Pax8 ...) or portal subscription.  Prices are per unit per month.
    "subscription": {
        "client": "text",
        "product": "text",
        "sku": "text",
        "vendor": "text",
        "quantity": "int",
        "billing_term": "billing_term",
        "commitment_end": "date",
        "start_date": "date",
        "end_date": "date",
        "price": "money",
        "partner_cost": "money",
        "status": "text",
    },
    # PSA agreement / contract.  ``amount`` is per month unless the profile says
    # ``amount_period = "annual"``.
    "contract": {
        "client": "text",
        "name": "text",
        "type": "text",
        "start_date": "date",
        "end_date": "date",
        "amount": "money",
        "no_end": "bool",
        "cancelled": "bool",
        "status": "text",
    },
}

# vcio's own inputs: the roster, business goals, decisions and exclusions.
ENTITIES.update({
    "client": {
        "name": "text",
        "aliases": "semicolon_list",
        "domains": "semicolon_list",
        "psa_id": "text",
        "tier": "text",
        "vcio": "text",
        "fiscal_year_start": "int",
        "cadence": "text",
    },
    "goal": {
        "client": "text",
        "goal": "text",
        "target_date": "date",
        "owner": "text",
        "success_metric": "text",
        "priority": "text",
        "tags": "semicolon_list",
        "initiative": "text",
    },
    "decision": {
        "client": "text",
        "item_id": "text",
        "decision": "text",
        "decided_on": "date",
        "decided_by": "text",
        "note": "text",
        "revisit_quarter": "text",
    },
    "exclusion": {
        "client": "text",
        "subject": "text",
        "rule": "text",
        "reason": "text",
        "until": "date",
    },
})

# A record is rejected when none of these is present (the reason names them).
IDENTITY_FIELDS: dict[str, tuple[str, ...]] = {
    "device": ("hostname", "serial"),
    "warranty": ("serial",),
    "user": ("upn",),
    "user_activity": ("upn",),
    "mfa": ("upn",),
    "subscription": ("product",),
    "contract": ("name",),
    "client": ("name",),
    "goal": ("goal",),
    "decision": ("item_id",),
    "exclusion": ("subject",),
}

# Entities whose rows belong to a client: a row whose client cannot be resolved is rejected.
CLIENT_SCOPED = {e for e in ENTITIES if e != "client"}
