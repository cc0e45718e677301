-- GET a manifest by tag with an OCI/Docker Accept header (wrk -s get_manifest.lua URL)
wrk.method = "GET"
wrk.headers["Accept"] = "application/vnd.oci.image.manifest.v1+json,application/vnd.oci.image.index.v1+json,application/vnd.docker.distribution.manifest.v2+json,application/vnd.docker.distribution.manifest.list.v2+json"
