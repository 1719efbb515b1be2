"""Summary reports: a session's (or a whole space's) transcript compiled through the
policy module, with participation statistics, rendered by one module per format.

`transcript.compile_session_report` / `compile_space_report` build a `Transcript`
(small parts loaded at once, the proceedings streamed in batches); `formats` names
the formats and drives the renderers (`to_md`, `to_html`, `to_json`, `to_csv`,
`to_docx`, `to_pdf`).
"""
