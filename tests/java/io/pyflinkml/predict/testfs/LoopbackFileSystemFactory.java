package io.pyflinkml.predict.testfs;

import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystemFactory;
import org.apache.flink.core.fs.local.LocalFileSystem;

import java.net.URI;

/**
 * The 'loopback://' file system for the cluster tests: local files under another scheme, which
 * says it is distributed, as HDFS or S3 would (no such service is reachable from a test). The
 * provider treats it as any remote file system: it fetches from it through Flink's API.
 */
public final class LoopbackFileSystemFactory implements FileSystemFactory {

    @Override
    public String getScheme() {
        return "loopback";
    }

    @Override
    public FileSystem create(URI fsUri) {
        return new LocalFileSystem() {
            @Override
            public URI getUri() {
                return URI.create("loopback:///");
            }

            @Override
            public boolean isDistributedFS() {
                return true;
            }
        };
    }
}
