"""The scheduling files `vcio init` writes for its working folder: a crontab, a systemd service and timer, and a
failure hook that mails, with absolute paths, the service user and the tools `vcio pull` is set up for.

The quarterly night is: pull from the APIs (a tool that fails keeps its last files and must not stop the
quarter), validate (its report is mailed; only a usage or configuration error, exit 2 or more, skips the run),
then run.  The repository's deploy/ folder holds these files written for /srv/vcio.
"""

from __future__ import annotations

import getpass
import os
import shlex
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .resources import data_path

LOG_DIR = Path("/var/log/vcio")
DEFAULT_USER = "vcio"
DEFAULT_MAIL = "root"
# The CLI's tool names for the [pull.<table>] tables of vcio.toml, in the order `vcio pull` lists them.
PULL_TOOLS = {"connectwise": "connectwise", "autotask": "autotask", "halopsa": "halopsa", "ninjaone": "ninjaone",
              "datto_rmm": "datto-rmm", "pax8": "pax8", "m365": "m365"}
SCHEDULE_CRON = "0 2 1 1,4,7,10 *"  # 02:00 on the first day of each quarter
SCHEDULE_SYSTEMD = "*-01,04,07,10-01 02:00:00"
FILES = ("crontab", "vcio.service", "vcio.timer", "vcio-failure@.service", "README.md")


@dataclass(frozen=True)
class Deployment:
    """What the files are filled in with."""

    folder: Path  # the working folder, absolute
    vcio: tuple[str, ...]  # the command's words, absolute: ("/srv/vcio/.venv/bin/vcio",)
    user: str = DEFAULT_USER
    mail: str = DEFAULT_MAIL
    tools: tuple[str, ...] = ()  # `vcio pull` tools set up in vcio.toml; none: the pull lines are commented

    @property
    def inputs(self) -> Path:
        return self.folder / "inputs"

    @property
    def outputs(self) -> Path:
        return self.folder / "outputs"

    @property
    def readme(self) -> Path:
        return self.folder / "deploy" / "README.md"


def current_vcio() -> tuple[str, ...]:
    """The vcio command of the environment running now (a virtual environment's bin/vcio), absolute."""
    script = Path(sys.executable).parent / "vcio"
    if script.is_file():
        return (str(script.absolute()),)
    return (str(Path(sys.executable).absolute()), "-m", "pipeline")


def service_user(folder: Path) -> str:
    """The folder's owner, unless that is root (a service should not run as root): then the usual `vcio`."""
    try:
        import pwd

        owner = pwd.getpwuid(folder.stat().st_uid).pw_name
    except (ImportError, KeyError, OSError):
        owner = getpass.getuser()
    return DEFAULT_USER if owner == "root" else owner


def configured_pull_tools(config_file: Path) -> tuple[str, ...]:
    """Tools whose [pull.<tool>] table in ``config_file`` differs from the defaults (a region, a tenant list, an
    address), or that have a table in the credentials file it names."""
    try:
        mine = tomllib.loads(config_file.read_text(encoding="utf-8-sig")).get("pull", {})
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return ()
    defaults = tomllib.loads(data_path("default_config.toml").read_text(encoding="utf-8")).get("pull", {})
    in_credentials = set(_credential_tables(config_file, mine.get("credentials_file", "")))
    found = []
    for table, tool in PULL_TOOLS.items():
        own, default = mine.get(table), defaults.get(table, {})
        changed = isinstance(own, dict) and any(own.get(key) != value for key, value in default.items() if key in own)
        if changed or table in in_credentials:
            found.append(tool)
    return tuple(found)


def _credential_tables(config_file: Path, name: str) -> list[str]:
    """The table names of the credentials file (only its shape is looked at: a file others can read is skipped,
    as `vcio pull` refuses it)."""
    from .pull.secrets import CredentialError, read_credentials_file

    if not name:
        return []
    path = Path(name) if Path(name).is_absolute() else config_file.parent / name
    try:
        return [key for key, value in read_credentials_file(path).items() if isinstance(value, dict)]
    except CredentialError:
        return []


def deployment_for(folder: Path, user: str | None = None, mail: str | None = None) -> Deployment:
    folder = folder.absolute()
    return Deployment(folder=folder, vcio=current_vcio(), user=user or service_user(folder),
                      mail=mail or DEFAULT_MAIL, tools=configured_pull_tools(folder / "vcio.toml"))


def render(deployment: Deployment) -> dict[str, str]:
    """Each file's text, by its name under deploy/."""
    return {"crontab": crontab(deployment), "vcio.service": service(deployment), "vcio.timer": timer(deployment),
            "vcio-failure@.service": failure_hook(deployment), "README.md": readme(deployment)}


def _q(path: Path | str) -> str:
    return shlex.quote(str(path))


def _commands(d: Deployment) -> tuple[str, str, str]:
    """(pull, validate, run) as the cron line writes them, from the working folder."""
    tools = " ".join(d.tools) if d.tools else "TOOL..."
    vcio = " ".join(map(shlex.quote, d.vcio))
    pull = f"{vcio} pull {tools} --inputs inputs -q --log-file {LOG_DIR / 'pull.log'}"
    validate = f"{vcio} validate --inputs inputs"
    run = (f"{vcio} run --inputs inputs --out outputs --resume --log-format json "
           f"--log-file {LOG_DIR / 'vcio.log'} -q")
    return pull, validate, run


EXIT_STATUSES = """\
# Exit statuses (cron mails whatever is printed; the log files have the details):
#   vcio pull      0 done; 1 a tool or tenant failed (its last files are kept, the run goes on); 2 configuration
#   vcio validate  0 clean; 1 something to look at (the run goes on); 2 or more: usage or configuration error,
#                  the run is skipped
#   vcio run       0 done; 1 some clients failed, 5 an input is stale: the documents are written, look at the log;
#                  2 usage or configuration; 3 no usable input; 4 environment (disk, permissions, template);
#                  70 internal error (report it with the log); 75 another run holds the lock
"""


def crontab(d: Deployment) -> str:
    pull, validate, run = _commands(d)
    env = "set -a; [ ! -f pull.env ] || . ./pull.env; set +a; "
    with_pull = f"{SCHEDULE_CRON} cd {_q(d.folder)} && {{ {env}{pull}; {validate}; [ $? -lt 2 ] && {run}; }}"
    without = f"{SCHEDULE_CRON} cd {_q(d.folder)} && {{ {validate}; [ $? -lt 2 ] && {run}; }}"
    lines = [
        f"# vcio for {d.folder}, written by `vcio init`: the quarterly run at 02:00 on the 1st of January, April,",
        "# July and October. Install it as the service user's crontab (this replaces that user's crontab):",
        f"#   crontab -u {d.user} {d.folder / 'deploy' / 'crontab'}",
        f"# Steps (service user, virtual environment, log folder, mail): {d.readme}",
        "# Use this crontab or the systemd timer, not both.",
        EXIT_STATUSES.rstrip("\n"),
        f"MAILTO={d.mail}",
        "SHELL=/bin/sh",
        "# m h dom mon      dow command",
    ]
    if d.tools:
        lines += ["# Pull from the APIs (credentials: [pull] credentials_file in vcio.toml, mode 0600, or the VCIO_*",
                  "# variables in pull.env), validate, then run:", with_pull]
    else:
        lines += ["# To pull from the APIs first: set up [pull.<tool>] in vcio.toml and the credentials (the file named",
                  "# by [pull] credentials_file, mode 0600, or VCIO_* variables in pull.env), put your tools in place of",
                  "# TOOL... (connectwise autotask halopsa ninjaone datto-rmm pax8 m365), then use this line instead",
                  "# of the one below:",
                  "# " + with_pull, without]
    return "\n".join(lines) + "\n"


def _systemd_quote(word: str) -> str:
    """One word of a systemd command line: quoted when it holds a space; "%" and "$" escaped."""
    escaped = word.replace("%", "%%").replace("$", "$$")
    return f'"{escaped}"' if any(c.isspace() for c in escaped) or not escaped else escaped


def service(d: Deployment) -> str:
    vcio = " ".join(map(_systemd_quote, d.vcio))
    inputs, outputs = _systemd_quote(str(d.inputs)), _systemd_quote(str(d.outputs))
    pull_tools = " ".join(d.tools) if d.tools else "TOOL..."
    pull = f"ExecStartPre=-{vcio} pull {pull_tools} --inputs {inputs} -q --log-file {LOG_DIR / 'pull.log'}"
    validate_sh = f"{' '.join(map(shlex.quote, d.vcio))} validate --inputs {_q(d.inputs)}; [ $? -lt 2 ]"
    lines = [
        f"# vcio for {d.folder}, written by `vcio init`. Install: {d.readme}",
        "[Unit]",
        f"Description=vcio quarterly roadmaps and QBR decks ({d.folder})",
        f"Documentation=file://{d.readme}",
        "Wants=network-online.target",
        "After=network-online.target",
        "# Exit statuses other than 0 fail the unit and start the mail hook: 1 (some clients failed) and 5 (an input",
        "# is stale) leave the documents written; look at the log.",
        "OnFailure=vcio-failure@%n.service",
        "",
        "[Service]",
        "Type=oneshot",
        f"User={d.user}",
        f"Group={d.user}",
        f"WorkingDirectory={_systemd_quote(str(d.folder))}",
        f"EnvironmentFile=-{_systemd_quote(str(d.folder / 'pull.env'))}",
    ]
    if d.tools:
        lines += ["# A tool or tenant that fails keeps its last files and must not stop the quarter (the \"-\").", pull]
    else:
        lines += ["# To pull from the APIs first: set up [pull.<tool>] in vcio.toml and the credentials (VCIO_*",
                  "# variables in pull.env, mode 0600), put your tools in place of TOOL... and uncomment:",
                  "#" + pull]
    lines += [
        "# The validation report goes to the journal; only a usage or configuration error (2 or more) stops the run.",
        f"ExecStartPre=/bin/sh -c {_systemd_quote(validate_sh)}",
        f"ExecStart={vcio} run --inputs {inputs} --out {outputs} --resume --log-format json "
        f"--log-file {LOG_DIR / 'vcio.log'} -q",
        "UMask=0077",
        "Nice=10",
        f"LogsDirectory={LOG_DIR.name}",
        "LogsDirectoryMode=0750",
        "# Hardening: read-only everywhere but the inputs (vcio pull writes there), the outputs and the log folder.",
        "ProtectSystem=strict",
        "ProtectHome=read-only",
        f"ReadWritePaths={inputs} {outputs} {LOG_DIR}",
        "NoNewPrivileges=yes",
        "PrivateTmp=yes",
        "PrivateDevices=yes",
        "ProtectKernelTunables=yes",
        "ProtectKernelModules=yes",
        "ProtectControlGroups=yes",
        "RestrictSUIDSGID=yes",
        "LockPersonality=yes",
        "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
    ]
    return "\n".join(lines) + "\n"


def timer(d: Deployment) -> str:
    return "\n".join([
        f"# vcio for {d.folder}, written by `vcio init`. Install: {d.readme}",
        "[Unit]",
        f"Description=vcio on the first day of each quarter, 02:00 ({d.folder})",
        f"Documentation=file://{d.readme}",
        "",
        "[Timer]",
        f"OnCalendar={SCHEDULE_SYSTEMD}",
        "# A machine that was off at 02:00 runs it when it starts.",
        "Persistent=true",
        "",
        "[Install]",
        "WantedBy=timers.target",
    ]) + "\n"


def failure_hook(d: Deployment) -> str:
    mail = d.mail.replace("%", "%%").replace("$", "$$").replace("'", "")
    return "\n".join([
        f"# vcio for {d.folder}, written by `vcio init`: started by OnFailure= of vcio.service with the failed unit's",
        "# name as its instance; mails its status and last log lines. Needs a mail command (bsd-mailx or mailutils)",
        "# and a mail transfer agent that delivers to the address.",
        "[Unit]",
        "Description=Mail that %i failed",
        f"Documentation=file://{d.readme}",
        "",
        "[Service]",
        "Type=oneshot",
        f"ExecStart=/bin/sh -c 'systemctl status --full --no-pager --lines=60 %i | mail -s \"%i failed on %H\" {mail}'",
    ]) + "\n"


def readme(d: Deployment) -> str:
    exits = "\n".join(line[2:] for line in EXIT_STATUSES.splitlines()[1:])
    return README.format(folder=d.folder, user=d.user, vcio=" ".join(d.vcio), log_dir=LOG_DIR, mail=d.mail,
                         venv=Path(d.vcio[0]).parent.parent, exits=exits,
                         tools=" ".join(d.tools) or "none")


README = """\
# Scheduling vcio for {folder}

`vcio init` wrote these files for this working folder: `crontab`, or `vcio.service`, `vcio.timer` and
`vcio-failure@.service` for systemd. Use one of the two, not both. Each quarter, at 02:00 on the first day of
January, April, July and October, they pull from the APIs (when set up), validate the inputs, then run.

## Once, as root

1. The service user, owning the working folder (the service and the crontab run as `{user}`):

       useradd --system --home-dir {folder} --shell /usr/sbin/nologin {user}
       chown -R {user}:{user} {folder} && chmod 0750 {folder}

2. The virtual environment vcio runs from, owned by root so the service cannot change its own code
   (these files name `{vcio}`):

       python3 -m venv {venv} && {venv}/bin/pip install vcio-*.whl

3. The log folder (systemd creates it too, through `LogsDirectory=`; cron needs it first), only for the
   service user, and rotated:

       install -d -o {user} -g {user} -m 0750 {log_dir}
       printf '{log_dir}/*.log {{\\n  monthly\\n  rotate 12\\n  compress\\n  missingok\\n  notifempty\\n  create 0600 {user} {user}\\n}}\\n' > /etc/logrotate.d/vcio

4. Mail: cron mails what the commands print to `MAILTO` ({mail}), and the systemd failure hook runs `mail`;
   both need a mail transfer agent (and `apt-get install bsd-mailx` for the hook). Change the address in
   `crontab` and `vcio-failure@.service`, or run `vcio init {folder} --mail ADDRESS` again after removing them.

5. Either cron:

       crontab -u {user} {folder}/deploy/crontab

   or systemd:

       cp {folder}/deploy/vcio.service {folder}/deploy/vcio.timer {folder}/deploy/vcio-failure@.service /etc/systemd/system/
       systemctl daemon-reload && systemctl enable --now vcio.timer
       systemctl start vcio.service      # a run now, to try it; journalctl -u vcio.service shows it

## Pulling from the APIs

Tools set up for `vcio pull` in vcio.toml when these files were written: {tools}. Set up a tool under
`[pull.<tool>]` in `{folder}/vcio.toml`, keep its credentials in the file named by `[pull] credentials_file`
(mode 0600) or as `VCIO_*` variables in `{folder}/pull.env` (mode 0600, read by both), then remove this folder's
files and run `vcio init {folder}` again to write them with the pull, or edit the commented lines by hand.

## What the mail says

```
{exits}
```

The run with `-q` prints its errors and one summary line; the validation report is printed in full. The service
writes the same to the journal, and the unit fails (and mails) on any exit status but 0.
"""


def write_deployment(folder: Path, user: str | None = None, mail: str | None = None) -> list[tuple[Path, str]]:
    """Write deploy/ under ``folder``; a file that exists is kept (so an edited one is never lost)."""
    from .runner.atomic import atomic_write

    target = folder / "deploy"
    results = []
    for name, text in render(deployment_for(folder, user, mail)).items():
        path = target / name
        if path.exists():
            results.append((path, "kept"))
            continue
        atomic_write(path, text.encode("utf-8"), mode=0o644)
        results.append((path, "created"))
    return results


def repository_copies() -> dict[str, str]:
    """The files of the repository's deploy/ folder: written for /srv/vcio, nothing pulled yet."""
    return render(Deployment(folder=Path("/srv/vcio"), vcio=("/srv/vcio/.venv/bin/vcio",)))


if __name__ == "__main__":  # python -m pipeline.deploy DIR: refresh the repository's copies
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("deploy")
    for file_name, content in repository_copies().items():
        (out / file_name).write_text(content, encoding="utf-8")
        print(os.path.join(out, file_name))
