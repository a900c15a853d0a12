import logging
import stat

from pipeline.cli.logs import setup_logging


def test_log_lines_carry_no_terminal_escapes_and_the_file_is_owner_only(tmp_path, capsys):
    log_file = tmp_path / "vcio.log"
    setup_logging("text", log_file)
    logging.getLogger("vcio").info("client %s done", "Evil\x1b[31m Corp\x07")
    for handler in logging.getLogger("vcio").handlers:
        handler.flush()
    text = log_file.read_text()
    assert "\x1b" not in text and "\x07" not in text and "Evil?[31m Corp?" in text
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    assert "\x1b" not in capsys.readouterr().err
