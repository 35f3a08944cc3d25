"""cloud-init's DataSourceEc2.get_data() as one guest, as on AWS or on another platform.

Argument: {"url", "source", "platform": "aws" | "unknown", "mac"}. The platform is forced the
way cloud-init's own unit tests force it, by replacing _collect_platform_data: an "ec2"
DMI UUID equal to the serial is AWS (token dance, identity document); anything else is an
unknown platform (IMDSv1, dated-version probing).
Prints what the datasource made of the metadata, how long get_data took, and every request.
"""
import shutil
import tempfile
import time

from cloudinit import distros, helpers
from cloudinit.sources import DataSourceEc2 as ds_module

from mdtest_client import arguments, reply

args = arguments()
if args["platform"] == "aws":
    uuid = "ec2e1916-9099-7caf-fd21-012345abcdef"
    platform = {"uuid": uuid, "uuid_source": "dmi", "serial": uuid}
else:
    platform = {"uuid": "5f1f1a4e-0000-4000-8000-000000000001", "uuid_source": "dmi", "serial": ""}
platform.update({"asset_tag": "", "vendor": "qemu", "product_name": "standard pc"})
ds_module._collect_platform_data = lambda: dict(platform)

tmp = tempfile.mkdtemp(prefix="mdtest-cloud-")
paths = helpers.Paths({"cloud_dir": f"{tmp}/cloud", "run_dir": f"{tmp}/run"})
distro = distros.fetch("debian")("debian", {}, paths)
sys_cfg = {
    "datasource": {"Ec2": {"metadata_urls": [args["url"]], "max_wait": 10, "timeout": 5}}
}
datasource = ds_module.DataSourceEc2(sys_cfg, distro, paths)

started = time.monotonic()
ok = datasource.get_data()
elapsed = time.monotonic() - started



def text(value):
    """User-data is bytes when there is some, and "" when there is none."""
    return value.decode("utf-8") if isinstance(value, bytes) else value


result = {"ok": ok, "seconds": elapsed, "cloud_name": datasource.cloud_name}
if ok:
    result.update(
        {
            "instance_id": datasource.get_instance_id(),
            "hostname": datasource.get_hostname().hostname,
            "keys": datasource.get_public_ssh_keys(),
            "userdata": text(datasource.get_userdata_raw()),
            "api_version": datasource._crawled_metadata.get("_metadata_api_version"),
            "metadata_address": datasource.metadata_address,
            "availability_zone": datasource.availability_zone,
            "region": datasource.region,
            "identity": datasource.identity,
            "metadata": datasource.metadata,
            "network_config": ds_module.convert_ec2_metadata_network_config(
                datasource.metadata["network"], macs_to_nics={args["mac"]: "eth0"}
            ),
        }
    )
shutil.rmtree(tmp, ignore_errors=True)
reply(result)
