"""The edges of waflow: the Flask webhook app (``webhooks.app.create_app``), the bootstrap that
assembles a bot from configuration, and the ``waflow`` command line."""
