"""The incident branch: the status page as typed data (``page``) and its client
(``client``), the page read against the user's surface and error time (``assess``), what it
means as findings (``judge``), and the ``status`` command's reading, JSON document and watch
loop (``watch``; its terminal view is ``claude_doctor.render.status``).
"""
