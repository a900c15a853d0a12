"""A Word package carrying a stale Word 2010 copy of its styles (stylesWithEffects.xml), as python-docx's default
template did: every part is in schema order, yet Word reads styles that no longer match."""

from __future__ import annotations

import io
import zipfile

STALE_STYLES = ('<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults/>'
                '</w:styles>')


def with_stale_styles_with_effects(docx: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/stylesWithEffects.xml" ContentType='
                                    b'"application/vnd.ms-word.stylesWithEffects+xml"/></Types>')
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId999" Type="http://schemas.microsoft'
                                    b'.com/office/2007/relationships/stylesWithEffects" Target="stylesWithEffects.xml"/>'
                                    b"</Relationships>")
            target.writestr(info, data)
        target.writestr("word/stylesWithEffects.xml", STALE_STYLES)
    return out.getvalue()
