"""cloud-init's Ec2 helper crawl (cloudinit.sources.helpers.ec2) as one guest.

Argument: {"url": "http://127.0.0.1:PORT", "source": "127.0.0.11", "version": "latest"}.
Prints {"metadata", "userdata", "identity", "requests"}.
"""
from cloudinit.sources.helpers import ec2

from mdtest_client import arguments, reply

args = arguments()
common = {"api_version": args["version"], "metadata_address": args["url"], "retries": 0, "timeout": 5}
metadata = ec2.get_instance_metadata(**common)
userdata = ec2.get_instance_userdata(**common)
identity = ec2.get_instance_identity(**common)
reply(
    {
        "metadata": metadata,
        "userdata": userdata.decode("utf-8") if isinstance(userdata, bytes) else userdata,
        "identity": identity,
    }
)
