#!/bin/sh
# How the Word 97-2003 and RTF fixtures were made (LibreOffice 7.4, Debian's
# libreoffice-writer-nogui), from our own story.source (a web page, kept under a
# name the indexer skips so that the tests meet only the converted files) and
# memo.fodt. The tests need only the files it wrote; run it again to remake them.
set -e
cd "$(dirname "$0")"
cp story.source story.html
soffice --headless --convert-to doc:"MS Word 97" story.html memo.fodt
rm story.html
soffice --headless --convert-to rtf memo.fodt
python3 - <<'PY'
import olefile, shutil
# The same document marked encrypted: it keeps its size, as olefile writes
# streams in place. (Word 6 and 95 documents, which LibreOffice no longer
# writes, are built byte by byte by the test that reads them.)
for name, patch in (("encrypted.doc", {0x0B: 0x01}),):
    shutil.copy("memo.doc", name)
    ole = olefile.OleFileIO(name, write_mode=True)
    stream = bytearray(ole.openstream("WordDocument").read())
    for at, value in patch.items():
        stream[at] = value
    ole.write_stream("WordDocument", bytes(stream))
    ole.close()
data = open("story.doc", "rb").read()
open("truncated.doc", "wb").write(data[: len(data) // 3])
PY
# An old system's RTF and plain text saved under a .doc name.
cp memo.rtf notes.doc
printf 'Tram depot memo\n\nThe tram depot opened on Friday.\n' > plain.doc
