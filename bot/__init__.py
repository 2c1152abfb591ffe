"""The runtime of waflow: typed inbound updates, outbound builders, the Cloud API client,
processing and sending. Import the submodules: ``bot.inbound``, ``bot.messages``, ``bot.client``,
``bot.errors``, ``bot.config``, ``bot.runtime``, ``bot.turn``, ``bot.simulate``.
"""
