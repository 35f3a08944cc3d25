"""A guest's first boot, from the seed to the boot report, with cloud-init's own code: its
NoCloud datasource (network stage) reads the seed the DMI serial points at, the vendor-data
is read as cloud-config, and cloud-init's phone_home module (cc_phone_home.handle) runs on
that config, as cloud-init's final stage would, posting the guest's ssh host keys.

Argument: {"source", "serial", "keys_dir"}: keys_dir holds the guest's ssh_host_*_key.pub
(phone_home reads them from /etc/ssh; they are read from keys_dir instead).
Prints the vendor-data, the config phone_home ran with, and every request.
"""
import logging
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "ec2", "python"))

from cloudinit import cloud, distros, dmi, helpers, util  # noqa: E402
from cloudinit.config import cc_phone_home  # noqa: E402
from cloudinit.sources import DataSourceNoCloud as ds_module  # noqa: E402

from mdtest_client import arguments, reply  # noqa: E402

args = arguments()
dmi.read_dmi_data = lambda key: args["serial"] if key == "system-serial-number" else None
util.get_cmdline = lambda: "BOOT_IMAGE=/vmlinuz root=/dev/vda1 ro"
util.find_devs_with = lambda *a, **k: []

# The guest's /etc/ssh, from the test's directory.
load_file = util.load_file


def guest_load_file(path, *a, **k):
    if path.startswith("/etc/ssh/"):
        path = os.path.join(args["keys_dir"], os.path.basename(path))
    return load_file(path, *a, **k)


util.load_file = guest_load_file

tmp = tempfile.mkdtemp(prefix="mdtest-cloud-")
paths = helpers.Paths({"cloud_dir": f"{tmp}/cloud", "run_dir": f"{tmp}/run"})
distro = distros.fetch("debian")("debian", {}, paths)
datasource = ds_module.DataSourceNoCloudNet({}, distro, paths)
result = {"ok": datasource.get_data()}
if result["ok"]:
    vendordata = datasource.get_vendordata_raw()
    if isinstance(vendordata, bytes):
        vendordata = vendordata.decode("utf-8")
    result["vendordata"] = vendordata
    config = util.load_yaml(vendordata) or {}
    result["config"] = config
    the_cloud = cloud.Cloud(datasource, paths, config, distro, None)
    cc_phone_home.handle("phone_home", config, the_cloud, logging.getLogger(), [])
shutil.rmtree(tmp, ignore_errors=True)
reply(result)
