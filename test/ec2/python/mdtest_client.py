"""Shared set-up for the cloud-init drivers: pose as a guest, record what was asked.

Run by /usr/bin/python3 (the only interpreter that can import Debian's cloud-init). The test
passes one JSON argument; the driver prints one JSON object on stdout.
"""
import json
import logging
import sys

import requests
import urllib3.util.connection

REQUESTS = []


def pose_as(source):
    """Make every outgoing connection leave from `source`, the guest's address.

    cloud-init connects through requests -> urllib3, which opens sockets with
    urllib3.util.connection.create_connection (looked up at call time), so replacing it binds
    each connection, in every thread cloud-init starts, to the guest's address.
    """
    original = urllib3.util.connection.create_connection

    def create_connection(address, *args, **kwargs):
        kwargs["source_address"] = (source, 0)
        return original(address, *args, **kwargs)

    urllib3.util.connection.create_connection = create_connection


def record_requests():
    """Keep [method, url, status, sent a token] of every request, to show retries and failures."""
    original = requests.Session.request

    def request(self, method, url, *args, **kwargs):
        token = "X-aws-ec2-metadata-token" in (kwargs.get("headers") or {})
        try:
            response = original(self, method, url, *args, **kwargs)
        except Exception as error:
            REQUESTS.append([method, url, repr(error), token])
            raise
        REQUESTS.append([method, url, response.status_code, token])
        return response

    requests.Session.request = request


def arguments():
    """The JSON object the test passed, with logging of cloud-init's debug output to stderr."""
    logging.basicConfig(stream=sys.stderr, level=logging.DEBUG)
    args = json.loads(sys.argv[1])
    pose_as(args["source"])
    record_requests()
    return args


def reply(result):
    """Prints the result and the requests made, as JSON."""
    result["requests"] = REQUESTS
    json.dump(result, sys.stdout, default=lambda value: repr(value))
    sys.stdout.write("\n")
