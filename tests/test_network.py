import socket
import urllib.request

import pytest
from conftest import NetworkBlocked


def test_network_is_blocked_in_tests():
    with pytest.raises(NetworkBlocked):
        urllib.request.urlopen("http://127.0.0.1:9/", timeout=1)
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("pypi.org", 443))
