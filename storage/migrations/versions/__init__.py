"""The revisions, oldest first: ``v<revision>_<slug>.py``, each naming the one it follows."""
