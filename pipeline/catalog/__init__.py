"""Facts about products, kept as data: which operating system a caption names (``os_identity``), when
releases lose support (``lifecycle``), licence product names (``skus``) and prices (``prices``).

Nothing here knows a client: rules in ``pipeline.findings`` ask these modules, and the model asks
``skus`` for friendly product names. Import the submodules directly; this package imports nothing so
that ``pipeline.model`` can use ``skus`` without pulling in the rest.
"""
