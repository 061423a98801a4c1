"""The limits of resume import, and why each is what it is.

File size: 4 MiB of decoded document.
- Lambda accepts at most 6 MB (6 MiB: its documentation says MB for 1,024 KB) as the request payload of a
  synchronous invocation, and API Gateway invokes the function synchronously with the whole HTTP request
  wrapped in a JSON event (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
- An HTTP API passes a binary body to Lambda base64-encoded (`isBase64Encoded: true`,
  https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html),
  which makes it 4/3 as large: 4 MiB of PDF becomes 5,592,408 bytes of base64, leaving about 680 KiB of the
  6 MiB for the rest of the event (headers: at most 10,240 bytes for the request line and headers together,
  the request context, and a multipart envelope).
- API Gateway's own limit, 10 MB per payload
  (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html), is the looser one.
So 4 MiB is the largest round figure that arrives whole in the worst case (binary, base64, multipart), far
above any real resume (typically 50-500 KB). The raw body may be a little larger than the file it carries
(the multipart envelope): `MAX_BODY_BYTES` allows for that, checked before anything parses the body.

Pages: 20. A resume is one to three pages; twenty leaves room for a long CV with a publication list while
bounding the work one request may cause (extraction cost grows with pages).

Text: at least 20 non-space characters. The challenge's own example of a resume is one line of about
60 characters ("3년차 백엔드 개발자, Spring Boot/MSA/Python 기반 커머스 서비스 개발, AWS EC2 운영 경험"), so
anything shorter than a third of that cannot be one. At most 100,000 characters of text are structured
(a 20-page CV of dense text is about 60,000); more is refused as unreadable rather than truncated.

DOCX archives (zip): every entry is inflated by this code first, within a budget, before the DOCX library
sees it: at most 1,000 entries, 16 MiB per XML part, 48 MiB in total, and no entry may claim more than 200
times its compressed size (Word's XML compresses about 5-10 times; a zip bomb starts at hundreds). Together
with the 4 MiB file limit this bounds memory and time whatever the archive says of itself.
"""

from __future__ import annotations

from typing import Final

MIB: Final = 1024 * 1024

MAX_FILE_BYTES: Final = 4 * MIB
MULTIPART_ENVELOPE_BYTES: Final = 64 * 1024
MAX_BODY_BYTES: Final = MAX_FILE_BYTES + MULTIPART_ENVELOPE_BYTES

MAX_PAGES: Final = 20
MIN_TEXT_CHARS: Final = 20
MAX_TEXT_CHARS: Final = 100_000

DOCX_MAX_ENTRIES: Final = 1_000
DOCX_MAX_PART_BYTES: Final = 16 * MIB
DOCX_MAX_TOTAL_BYTES: Final = 48 * MIB
DOCX_MAX_RATIO: Final = 200
# Below this size an entry's compression ratio is not checked: tiny XML parts compress very well.
DOCX_RATIO_FLOOR_BYTES: Final = 1 * MIB

# PDF content: at most 8 MiB per decoded stream (pypdf's own default is 75 MB) and 16 MiB of page content in
# all. A resume page's content stream is tens of kilobytes; parsing content is what costs time (40 MB of
# whitespace took pypdf about 10 s), so these bound the work a small file can cause.
PDF_MAX_STREAM_BYTES: Final = 8 * MIB
PDF_MAX_CONTENT_BYTES: Final = 16 * MIB
