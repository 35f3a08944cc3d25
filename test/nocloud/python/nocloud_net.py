"""cloud-init's NoCloud datasource in its network stage (DataSourceNoCloudNet) as one guest,
seeded from the DMI serial that mdserver guest-setup --mode nocloud writes.

Argument: {"source", "serial"}: the serial with the seed URL pointing at the test's server.
Prints what the datasource made of the seed (metadata, instance-id, hostname, keys, user-data,
vendor-data) and every request.
"""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "ec2", "python"))

from cloudinit import distros, dmi, helpers, util  # noqa: E402
from cloudinit.sources import DataSourceNoCloud as ds_module  # noqa: E402

from mdtest_client import arguments, reply  # noqa: E402

args = arguments()
# The guest's DMI serial and kernel command line, as the guest would have them.
dmi.read_dmi_data = lambda key: args["serial"] if key == "system-serial-number" else None
util.get_cmdline = lambda: "BOOT_IMAGE=/vmlinuz root=/dev/vda1 ro"
# No config disk here: blkid must not find the host's file systems.
util.find_devs_with = lambda *a, **k: []


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else value


tmp = tempfile.mkdtemp(prefix="mdtest-cloud-")
paths = helpers.Paths({"cloud_dir": f"{tmp}/cloud", "run_dir": f"{tmp}/run"})
distro = distros.fetch("debian")("debian", {}, paths)
datasource = ds_module.DataSourceNoCloudNet({}, distro, paths)
ok = datasource.get_data()
result = {"ok": ok}
if ok:
    result.update(
        {
            "dsmode": datasource.dsmode,
            "metadata": datasource.metadata,
            "instance_id": datasource.get_instance_id(),
            "hostname": datasource.get_hostname().hostname,
            "keys": datasource.get_public_ssh_keys(),
            "userdata": text(datasource.get_userdata_raw()),
            "vendordata": text(datasource.get_vendordata_raw()),
        }
    )
shutil.rmtree(tmp, ignore_errors=True)
reply(result)
