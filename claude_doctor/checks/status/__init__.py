"""The incident branch: the status page (``page``), what it means for the user (``judge``)
and the ``status`` command's view and watch loop (``watch``).
"""
