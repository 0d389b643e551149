"""Every command group of the ``scormbuild`` CLI, on top of everything else: ``cli`` (the main
group and its commands), ``xapi`` (the ``scormbuild xapi`` group, imported only when invoked),
``args`` and ``output`` (what the groups share), ``lazy`` (the group class that defers imports).

Nothing below this package imports it. Keep it light: ``scormbuild --help`` imports only it,
``cli`` and click.
"""
