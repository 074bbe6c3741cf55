"""Tests of newsstand.net, and the reusable local servers (``net.servers``, ``net.fixtures``)."""
