import pytest

from pipeline.errors import DecodeError
from pipeline.ingest.decode import read_table


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_utf8_bom_crlf_and_line_numbers(tmp_path):
    path = write(tmp_path, "a.csv", "\ufeffName,Value\r\nx,1\r\n\r\n\"multi\r\nline\",2\r\ny,3\r\n".encode("utf-8"))
    table = read_table(path)
    assert table.header == ["Name", "Value"]
    assert [(line, cells[0]) for line, cells in table.rows] == [(2, "x"), (4, "multi\r\nline"), (6, "y")]


def test_cp1252_fallback(tmp_path):
    path = write(tmp_path, "a.csv", "Display name,UPN\r\nJosé Ramírez,j@x.com\r\n".encode("cp1252"))
    table = read_table(path)
    assert table.encoding == "cp1252"
    assert table.rows[0][1][0] == "José Ramírez"


def test_utf16_and_semicolons(tmp_path):
    path = write(tmp_path, "a.csv", "Name;Preis\r\nA;1,50\r\n".encode("utf-16"))
    table = read_table(path)
    assert table.delimiter == ";" and table.rows[0][1] == ["A", "1,50"]


def test_tsv(tmp_path):
    table = read_table(write(tmp_path, "a.tsv", b"a\tb\n1\t2\n"))
    assert table.rows[0][1] == ["1", "2"]


@pytest.mark.parametrize("data, message", [(b"", "empty"), (b"\x00\x01\x02binary", "binary"), (b"\n\n  \n", "empty")])
def test_unreadable_files_say_why(tmp_path, data, message):
    with pytest.raises(DecodeError) as info:
        read_table(write(tmp_path, "a.csv", data))
    assert message in str(info.value)
