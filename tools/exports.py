"""How each vendor export looks on disk: headers, encodings, BOMs, line ends, date styles and quirks.

The one writer of export files for the three generators: the sample exports (``tools/make_samples.py``),
the benchmark data (``bench/generate.py``) and the ingest fixtures (``tests/ingest/fixtures/make_fixtures.py``).
A generator decides what rows say; this module decides how a vendor's tool writes them. Headers and
conventions are the ones docs/FORMATS.md describes. Standard library only.

Import it as ``tools.exports`` with the repository root on ``sys.path`` (the generators put it there).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path


@dataclass(frozen=True)
class ExportFormat:
    """One vendor export: its header row and how the vendor's tool writes the file."""

    name: str
    header: tuple[str, ...]
    encoding: str = "utf-8"
    bom: bool = False       # a UTF-8 byte-order mark (UTF-16 files carry their own)
    crlf: bool = True       # Windows line ends
    delimiter: str = ","
    quote_all: bool = False  # every cell in double quotes (PowerShell's Export-Csv)
    preamble: str = ""       # lines before the header, each ending in a line break

    @property
    def header_line(self) -> str:
        """The header as the tool writes it, with its preamble (line breaks as "\n")."""
        cells = [f'"{c}"' for c in self.header] if self.quote_all else self.header
        return self.preamble + self.delimiter.join(cells)


# ---------------------------------------------------------------------------- vcio's own files
ROSTER = ExportFormat("vcio_clients", ("name", "aliases", "domains", "psa_id", "tier", "vcio", "fiscal_year_start",
                                       "cadence"), crlf=False)
GOALS = ExportFormat("vcio_goals", ("client", "goal", "target_date", "owner", "success_metric", "priority", "tags"),
                     crlf=False)
DECISIONS = ExportFormat("vcio_decisions", ("client", "item_id", "decision", "decided_on", "decided_by", "note",
                                            "revisit_quarter"), crlf=False)

# ---------------------------------------------------------------------------- PSA
# ConnectWise Manage REST API (/company/configurations, /finance/agreements) flattened by a script.
CW_CONFIGURATIONS = ExportFormat("cw_manage_configurations", (
    "id", "name", "type.name", "status.name", "company.identifier", "company.name", "serialNumber", "modelNumber",
    "purchaseDate", "installationDate", "warrantyExpirationDate", "osType", "osInfo", "manufacturer.name",
    "vendor.name"))
CW_AGREEMENTS = ExportFormat("cw_manage_agreements", (
    "id", "name", "type.name", "company.identifier", "company.name", "startDate", "endDate", "noEndingDateFlag",
    "cancelledFlag", "billAmount", "billingCycle.name"))

# The same two lists in the UI (display labels, unverified), as Excel saves them.
CW_CONFIGURATIONS_UI = ExportFormat("cw_manage_configurations_ui", (
    "Configuration Name", "Configuration Type", "Company", "Site", "Status", "Serial Number", "Model Number",
    "Manufacturer", "Purchase Date", "Installed Date", "Warranty Expiration"))
CW_AGREEMENTS_UI = ExportFormat("cw_manage_agreements_ui", (
    "Agreement Name", "Company", "Agreement Type", "Start Date", "End Date", "Bill Amount", "Cancelled",
    "No Ending Date", "Agreement Status"))
# Autotask REST API entities flattened by a script: picklists are integer ids.
AUTOTASK_CONFIGURATION_ITEMS = ExportFormat("autotask_configuration_items", (
    "id", "companyID", "configurationItemType", "referenceTitle", "referenceNumber", "serialNumber", "installDate",
    "warrantyExpirationDate", "isActive", "rmmDeviceUID", "rmmDeviceAuditHostname", "rmmDeviceAuditOperatingSystem",
    "rmmDeviceAuditMissingPatchCount"), crlf=False)
AUTOTASK_CONTRACTS = ExportFormat("autotask_contracts", (
    "id", "companyID", "contractName", "contractType", "contractCategory", "contractNumber", "contractPeriodType",
    "startDate", "endDate", "status", "estimatedRevenue", "setupFee"), crlf=False)
# HaloPSA /Asset API flattened: hostname in key_field, serial in key_field2 (varies by tenant).
HALOPSA_ASSETS = ExportFormat("halopsa_assets", (
    "id", "inventory_number", "key_field", "key_field2", "key_field3", "client_id", "client_name", "site_id",
    "site_name", "assettype_id", "assettype_name", "status_name", "inactive", "warranty_start", "warranty_end"),
    crlf=False)

# ---------------------------------------------------------------------------- RMM
# Datto RMM scheduled reports: UTF-8 with BOM, CRLF, times with a zone abbreviation.
DATTO_DEVICE_DETAILS = ExportFormat("datto_rmm_device_details", (
    "Device Hostname", "Site Name", "Device Type", "Operating System", "Last Seen", "Last Reboot", "Device CPU",
    "Physical CPU Cores", "Memory", "Security", "Ext IP Addr", "Int IP Addr", "Agent Version", "Enrollment Date"),
    bom=True)
DATTO_PATCH_SUMMARY = ExportFormat("datto_rmm_patch_summary", (
    "Device Hostname", "Site Name", "Patches Approved Pending", "Patches Installed", "Patches Not Approved",
    "Patch Status", "Last Reboot"), bom=True)
DATTO_STORAGE = ExportFormat("datto_rmm_storage", (
    "Device Hostname", "Site Name", "Drive", "Capacity", "Free Space", "Serial Number", "Device Model",
    "Manufacturer"), bom=True)
# NinjaOne public API (/v2/devices-detailed) flattened by a Python script: epoch-second timestamps, LF.
NINJAONE_DEVICES = ExportFormat("ninjaone_devices", (
    "id", "systemName", "dnsName", "nodeClass", "references.organization.name", "offline", "lastContact", "created",
    "os.name", "os.buildNumber", "system.manufacturer", "system.model", "system.serialNumber",
    "references.warranty.endDate"), crlf=False)

# NinjaOne device grid exported from the UI (labels unverified, columns chosen by the user).
NINJAONE_GRID = ExportFormat("ninjaone_devices_ui", (
    "Name", "Organization", "Location", "Type", "OS Name", "OS Build", "Last Contact", "Serial Number",
    "Manufacturer", "Model"), bom=True)
CW_AUTOMATE_COMPUTERS = ExportFormat("cw_automate_computers", (
    "Id", "ComputerName", "Client.Name", "Location.Name", "Type", "Status", "OperatingSystemName",
    "OperatingSystemVersion", "RemoteAgentLastContact", "DateAdded", "AssetDate", "WarrantyEndDate", "SerialNumber",
    "BiosManufacturer", "IsVirtualMachine"), crlf=False)
NABLE_DEVICES = ExportFormat("nable_devices", (
    "deviceId", "uri", "longName", "deviceClass", "deviceClassLabel", "description", "isProbe", "supportedOs",
    "supportedOsLabel", "discoveredName", "lastLoggedInUser", "customerId", "customerName", "siteId", "siteName",
    "soName", "lastApplianceCheckinTime"))
KASEYA_VSA_AGENTS = ExportFormat("kaseya_vsa_agents", (
    "AgentId", "AgentName", "ComputerName", "MachineGroup", "MachineGroupId", "OSType", "OSInfo", "Online",
    "LastCheckInTime"))

# ---------------------------------------------------------------------------- warranty lookups
PSWARRANTY = ExportFormat("pswarranty", ("Serial", "Warranty Product name", "StartDate", "EndDate", "Warranty Status",
                                         "Client"), bom=True)
PSWARRANTY_LOOKUP_FAILED = "Could not get warranty information"  # the product-name cell of a failed lookup

# ---------------------------------------------------------------------------- distributors
# Pax8 partner API /subscriptions joined with /companies and /products by a script.
PAX8_SUBSCRIPTIONS = ExportFormat("pax8_subscriptions", (
    "id", "companyId", "companyName", "companyExternalId", "productId", "productName", "quantity", "billingTerm",
    "commitmentTerm.term", "commitmentTerm.endDate", "startDate", "endDate", "price", "partnerCost", "currencyCode",
    "status"))

# Partner Center subscriptions (API field names) plus the customer name a script adds.
PARTNER_CENTER_SUBSCRIPTIONS = ExportFormat("distributor_subscriptions_generic", (
    "customerName", "id", "offerId", "offerName", "friendlyName", "quantity", "unitType", "creationDate",
    "effectiveStartDate", "commitmentEndDate", "status", "autoRenewEnabled", "billingType", "billingCycle",
    "termDuration"))

# ---------------------------------------------------------------------------- Microsoft 365
# Admin center, Active users > Export users (current layout): UTF-8 with BOM, CRLF. An Excel re-save of it is
# cp1252 without a BOM and spells booleans TRUE/FALSE (M365_USERS_EXCEL).
M365_USERS = ExportFormat("m365_export_users", (
    "Display name", "DirSyncEnabled", "User principal name", "Object Id", "First name", "Last name", "When created",
    "Soft deletion time stamp", "Title", "Department", "Preferred data location", "City", "CountryOrRegion", "Office",
    "StateOrProvince", "Usage location", "Last dirsync time", "Block credential", "Licenses",
    "Password never expires", "Last password change time stamp", "Mobile Phone", "Phone number", "Postal code",
    "Preferred language", "Street address", "Fax", "Proxy addresses"), bom=True)
M365_USERS_EXCEL = ExportFormat(M365_USERS.name, M365_USERS.header, encoding="cp1252")
M365_SERVICES = ("Exchange", "OneDrive", "SharePoint", "Skype For Business", "Yammer", "Teams")
# The older alphabetical Export users layout, with 'License assignment details'.
M365_USERS_LEGACY = ExportFormat("m365_export_users_legacy", (
    "Block credential", "City", "Country/Region", "Department", "DirSyncEnabled", "Display name", "Fax", "First name",
    "Last dirsync time", "Last name", "Last password change time stamp", "License assignment details", "Licenses",
    "Mobile Phone", "Oath token meta data", "Object Id", "Office", "Password never expires", "Phone number",
    "Postal code", "Preferred data location", "Preferred language", "Proxy addresses", "Release track",
    "Soft deletion time stamp", "State", "Street address", "Strong password required", "Title", "Usage location",
    "User principal name", "When created"))
# Entra admin center, Download users: locale dates (8/19/2021 1:25:31 PM).
ENTRA_USERS = ExportFormat("entra_download_users", (
    "userPrincipalName", "displayName", "surname", "mail", "givenName", "id", "userType", "jobTitle", "department",
    "accountEnabled", "usageLocation", "streetAddress", "state", "country", "officeLocation", "city", "postalCode",
    "telephoneNumber", "mobilePhone", "alternateEmailAddress", "ageGroup", "consentProvidedForMinor",
    "legalAgeGroupClassification", "companyName", "creationType", "directorySynced", "invitationState",
    "identityIssuer", "createdDateTime"))
# Graph userRegistrationDetails through Windows PowerShell 5.1 Export-Csv without -NoTypeInformation.
M365_MFA_REGISTRATION = ExportFormat("m365_mfa_registration", (
    "id", "userPrincipalName", "userDisplayName", "userType", "isAdmin", "isSsprRegistered", "isSsprEnabled",
    "isSsprCapable", "isMfaRegistered", "isMfaCapable", "isPasswordlessCapable", "methodsRegistered",
    "defaultMfaMethod", "isSystemPreferredAuthenticationMethodEnabled", "systemPreferredAuthenticationMethods",
    "userPreferredMethodForSecondaryAuthentication", "lastUpdatedDateTime"), quote_all=True,
    preamble="#TYPE Microsoft.Graph.PowerShell.Models.MicrosoftGraphUserRegistrationDetails\n")
# GetMFAStatus.ps1 (o365reports.com): one file of enabled/enforced users, one of users without MFA.
M365_MFA_STATUS_ENABLED = ExportFormat("m365_mfa_status_o365reports", (
    "DisplayName", "UserPrincipalName", "MFAStatus", "ActivationStatus", "DefaultMFAMethod", "AllMFAMethods",
    "MFAPhone", "MFAEmail", "LicenseStatus", "IsAdmin", "AdminRoles", "SignInStatus"), quote_all=True)
M365_MFA_STATUS_DISABLED = ExportFormat("m365_mfa_status_o365reports", (
    "DisplayName", "UserPrincipalName", "Department", "MFAStatus", "LicenseStatus", "IsAdmin", "AdminRoles",
    "SignInStatus"), quote_all=True)
# Microsoft's "Product names and service plan identifiers for licensing": one row per service plan.
MS_PRODUCT_SERVICE_PLANS = ExportFormat("ms_product_service_plans", (
    "Product_Display_Name", "String_Id", "GUID", "Service_Plan_Name", "Service_Plan_Id",
    "Service_Plans_Included_Friendly_Names"))
# Reports > Usage > Active users, "Export": UTF-8 with BOM, CRLF, YYYY-MM-DD, empty = never.
M365_ACTIVE_USER_DETAIL = ExportFormat("m365_active_user_detail", (
    "Report Refresh Date", "User Principal Name", "Display Name", "Is Deleted", "Deleted Date",
    *(f"Has {s} License" for s in M365_SERVICES), *(f"{s} Last Activity Date" for s in M365_SERVICES),
    *(f"{s} License Assign Date" for s in M365_SERVICES), "Assigned Products"), bom=True)


# ---------------------------------------------------------------------------- date and value styles
def iso_z(day: date | None) -> str:
    """ConnectWise API dates: 2026-01-31T00:00:00Z."""
    return f"{day.isoformat()}T00:00:00Z" if day else ""


def us_datetime(moment: date | datetime | None) -> str:
    """US locale date-time as a re-saved sheet shows it: 11/3/2021 2:15:00 PM."""
    if moment is None:
        return ""
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    hour = moment.hour % 12 or 12
    return (f"{moment.month}/{moment.day}/{moment.year} {hour}:{moment.minute:02d}:{moment.second:02d} "
            f"{'AM' if moment.hour < 12 else 'PM'}")


def datto_datetime(moment: datetime | None, zone: str = "EST") -> str:
    """Datto RMM report times: local wall time with the zone's abbreviation, 2026-11-19 11:24:23 EST."""
    return f"{moment:%Y-%m-%d %H:%M:%S} {zone}" if moment else ""


def m365_datetime(moment: datetime | None) -> str:
    """Microsoft 365 admin center times: 2022-03-18 19:49:35Z."""
    return f"{moment:%Y-%m-%d %H:%M:%S}Z" if moment else ""


def m365_bool(value: bool, excel: bool = False) -> str:
    """True/False as exported; TRUE/FALSE once Excel has re-saved the file."""
    return ("TRUE" if value else "FALSE") if excel else str(value)


def epoch_seconds(moment: datetime, zone: timezone = timezone.utc) -> float:
    """NinjaOne API timestamps: seconds since the epoch, of a wall time in the given zone."""
    return moment.replace(tzinfo=zone).timestamp()


def epoch_date(day: date) -> float:
    """NinjaOne warranty dates: midnight UTC of the day, in epoch seconds."""
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()


def gigabytes(value: float) -> str:
    """Datto storage sizes: 237.9 GB."""
    return f"{value:.1f} GB"


# ---------------------------------------------------------------------------- writing files
class ExportWriter:
    """One export file written row by row through csv, remembering the physical line each record starts on
    (the header is line 1; a quoted cell holding line breaks makes its record span several lines).

    Encoding, BOM and line ends come from the format unless overridden (a re-saved copy, say). With
    ``count_lines=False`` line numbers are not kept (millions of rows for the benchmark, a third faster).
    """

    def __init__(self, path: Path, fmt: ExportFormat, *, encoding: str | None = None, bom: bool | None = None,
                 crlf: bool | None = None, quote_all: bool = False, count_lines: bool = True):
        self.path, self.fmt = path, fmt
        encoding = encoding or fmt.encoding
        bom = fmt.bom if bom is None else bom
        self.eol = "\r\n" if (fmt.crlf if crlf is None else crlf) else "\n"
        self.line = 1  # the physical line the next record starts on
        self.count_lines = count_lines
        self.records = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        # Python's utf-8-sig codec writes the BOM; other encodings never get one from here.
        self._file = open(path, "w", encoding="utf-8-sig" if bom and encoding == "utf-8" else encoding, newline="")
        self._writer = csv.writer(self._file, delimiter=fmt.delimiter, lineterminator=self.eol,
                                  quoting=csv.QUOTE_ALL if quote_all or fmt.quote_all else csv.QUOTE_MINIMAL)
        for line in fmt.preamble.splitlines():
            self._file.write(line + self.eol)
            self.line += 1
        self._write(fmt.header)

    def _write(self, values) -> int:
        start = self.line
        self._writer.writerow(values)
        if self.count_lines:
            # the terminator holds one "\n"; a cell's own line breaks add theirs
            self.line += 1 + sum(v.count("\n") for v in values if isinstance(v, str))
        return start

    def row(self, values) -> int:
        """Write one record (None is an empty cell); returns the physical line it starts on (when counted)."""
        self.records += 1
        return self._write(values)

    def blank(self) -> None:
        """An empty line, as a re-saved sheet leaves between records."""
        self._file.write(self.eol)
        self.line += 1

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> "ExportWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def encode_text(text: str, encoding: str = "utf-8", crlf: bool = True, bom: bool = False) -> bytes:
    """A whole export given as text (a fixture written by hand, quirks and all) as the tool writes it."""
    if crlf:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    raw = text.encode(encoding)
    if bom and encoding == "utf-8":
        raw = b"\xef\xbb\xbf" + raw
    return raw
