"""cloud-init's OpenStack datasource as one guest: MetadataReader.read_v2() and
DataSourceOpenStack.get_data().

Argument: {"url": "http://127.0.0.1:PORT", "source": "127.0.0.11", "mac": "52:54:00:…"}.
The platform check (DMI product name "OpenStack Nova", which mdserver guest-setup sets) is
forced the way cloud-init's own unit tests force it. Prints what read_v2() returned, what the
datasource made of it (instance-id, hostname, keys, user-data, network config for the MAC) and
every request.
"""
import functools
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "ec2", "python"))

from cloudinit import distros, helpers  # noqa: E402
from cloudinit.sources import DataSourceOpenStack as ds_module  # noqa: E402
from cloudinit.sources.helpers import openstack  # noqa: E402

from mdtest_client import arguments, reply  # noqa: E402

args = arguments()
# The reader crawls the EC2 tree at cloud-init's fixed address, http://169.254.169.254 (which is
# mdserver on a real host): here it is the test's server.
openstack.ec2.get_instance_metadata = functools.partial(
    openstack.ec2.get_instance_metadata, metadata_address=args["url"]
)


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else value


reader = openstack.MetadataReader(args["url"], timeout=5, retries=0)
v2 = reader.read_v2()
read = {
    "metadata": v2["metadata"],
    "userdata": text(v2.get("userdata")),
    "vendordata": v2.get("vendordata"),
    "vendordata2": v2.get("vendordata2"),
    "networkdata": v2.get("networkdata"),
    "ec2_instance_id": v2["ec2-metadata"].get("instance-id"),
}

ds_module.detect_openstack = lambda accept_oracle=False: True
tmp = tempfile.mkdtemp(prefix="mdtest-cloud-")
paths = helpers.Paths({"cloud_dir": f"{tmp}/cloud", "run_dir": f"{tmp}/run"})
distro = distros.fetch("debian")("debian", {}, paths)
sys_cfg = {
    "datasource_list": ["OpenStack", "None"],
    "datasource": {
        "OpenStack": {"metadata_urls": [args["url"]], "max_wait": 10, "timeout": 5, "retries": 0}
    },
}
datasource = ds_module.DataSourceOpenStack(sys_cfg, distro, paths)
ok = datasource.get_data()
result = {"read_v2": read, "ok": ok}
if ok:
    result.update(
        {
            "version": datasource.version,
            "instance_id": datasource.get_instance_id(),
            "hostname": datasource.get_hostname().hostname,
            "keys": datasource.get_public_ssh_keys(),
            "userdata": text(datasource.get_userdata_raw()),
            "vendordata": datasource.vendordata_raw,
            "availability_zone": datasource.availability_zone,
            "network_config": openstack.convert_net_json(
                datasource.network_json, known_macs={args["mac"]: "eth0"}
            ),
        }
    )
shutil.rmtree(tmp, ignore_errors=True)
reply(result)
