# SPDX-License-Identifier: GPL-2.0
# Storage: compression, same-filled and huge pages, zero reads, discard,
# write-zeroes, partial pages, mem_limit, mem_used_max, compact.
. ./lib.sh
d=/sys/block/zram0
zram_load
expect_write $d/compact 1 EINVAL
echo 64M > $d/disksize || fail disksize
dev=/dev/zram0
wr() { dd if="$1" of=$dev bs=64k seek=$(($2 / 16)) oflag=direct conv=notrunc 2>/dev/null; }
rd() { dd if=$dev of="$1" bs=64k skip=$(($2 / 16)) count=$(($3 / 16)) iflag=direct 2>/dev/null; }

# Never written: zeros.
rd /tmp/z 1024 256 || fail "read of unwritten pages"
head -c 1048576 /dev/zero | cmp -s - /tmp/z || fail "unwritten pages are not zero"
expect_eq "pages stored (none)" "$(mm 0 1)" 0

# Same-filled pages (zeros and a repeated byte): no memory, counted.
head -c 1048576 /dev/zero > /tmp/zero
head -c 1048576 /dev/zero | tr '\0' '\253' > /tmp/ab
wr /tmp/zero 0 || fail "write zero pages"
wr /tmp/ab 256 || fail "write pattern pages"
expect_eq "same_pages" "$(mm 0 6)" 512
expect_eq "orig_data_size" "$(mm 0 1)" $((512 * 4096))
expect_eq "compr_data_size (same pages)" "$(mm 0 2)" 0
rd /tmp/back 256 256 && cmp -s /tmp/ab /tmp/back || fail "pattern pages read back wrong"

# Incompressible pages are stored raw (huge).
head -c 1048576 /dev/urandom > /tmp/rand
wr /tmp/rand 512 || fail "write random pages"
expect_eq "huge_pages" "$(mm 0 8)" 256
expect_eq "huge_pages_since" "$(mm 0 9)" 256
expect_eq "compr_data_size (huge)" "$(mm 0 2)" $((256 * 4096))
rd /tmp/back 512 256 && cmp -s /tmp/rand /tmp/back || fail "random pages read back wrong"

# Compressible text: stored smaller, read back exact.
textdata 1048576 > /tmp/text
before=$(mm 0 2)
wr /tmp/text 768 || fail "write text pages"
grew=$(( $(mm 0 2) - before ))
[ $grew -gt 0 ] && [ $grew -lt 786432 ] || fail "1 MiB of text took $grew bytes"
rd /tmp/back 768 256 && cmp -s /tmp/text /tmp/back || fail "text pages read back wrong"
[ "$(mm 0 3)" -gt 0 ] || fail "mem_used_total is 0 with data stored"
# A dense page of the test scripts can itself miss the huge class.
texthuge=$(( $(mm 0 8) - 256 ))
[ $texthuge -ge 0 ] && [ $texthuge -lt 16 ] || fail "$texthuge of 256 text pages stored huge"

# Overwriting a huge page with a same page moves it between the counters.
wr /tmp/zero 512 || fail "overwrite random with zeros"
expect_eq "huge_pages after overwrite" "$(mm 0 8)" $texthuge
expect_eq "huge_pages_since after overwrite" "$(mm 0 9)" $((256 + texthuge))
expect_eq "same_pages after overwrite" "$(mm 0 6)" 768
expect_eq "pages stored" "$(mm 0 1)" $((1024 * 4096))

# Discard frees whole pages; reads then return zeros.
blkdiscard -o $((768 * 4096)) -l 1048576 $dev || fail "blkdiscard"
expect_eq "pages stored after discard" "$(mm 0 1)" $((768 * 4096))
rd /tmp/back 768 256 && cmp -s /tmp/zero /tmp/back || fail "discarded pages not zero"
# Write zeroes is a discard too.
wr /tmp/text 768 || fail "rewrite text"
blkdiscard -z -o $((768 * 4096)) -l 1048576 $dev || fail "blkdiscard --zeroout"
rd /tmp/back 768 256 && cmp -s /tmp/zero /tmp/back || fail "zeroed pages not zero"
expect_eq "pages stored after write-zeroes" "$(mm 0 1)" $((768 * 4096))

# Partial pages: a 512-byte buffered write is a read-modify-write of its
# page (direct I/O below 4 KiB never reaches us: logical blocks are 4 KiB).
head -c 512 /dev/urandom > /tmp/sec
dd if=/tmp/sec of=$dev bs=512 seek=$((256 * 8 + 3)) conv=notrunc 2>/dev/null || fail "buffered 512 B write"
sync; echo 3 > /proc/sys/vm/drop_caches
dd if=$dev of=/tmp/back bs=4096 skip=256 count=1 iflag=direct 2>/dev/null || fail "read back page"
dd if=/tmp/back bs=512 skip=3 count=1 2>/dev/null | cmp -s /tmp/sec - || fail "512 B write lost"
head -c 1536 /tmp/ab > /tmp/pre_want
dd if=/tmp/back bs=512 count=3 of=/tmp/pre 2>/dev/null
cmp -s /tmp/pre_want /tmp/pre || fail "bytes before the 512 B write changed"

# mem_used_max: only 0 is accepted; it resets the peak to current use.
expect_write $d/mem_used_max 1 EINVAL
expect_write $d/mem_used_max x EINVAL
expect_write $d/mem_used_max 0 OK
expect_eq "mem_used_max after reset" "$(mm 0 5)" "$(mm 0 3)"
expect_write $d/compact 1 OK

# mem_limit: writes beyond it fail with an I/O error and are counted.
expect_write $d/mem_limit "" EINVAL
expect_write $d/mem_limit abc EINVAL
echo 1 > $d/reset
echo 64M > $d/disksize
expect_write $d/mem_limit 2M OK
expect_eq "mem_limit shown" "$(mm 0 4)" $((2 << 20))
head -c 8388608 /dev/urandom > /tmp/rand8
dd if=/tmp/rand8 of=$dev bs=64k oflag=direct 2>/tmp/err && fail "8 MiB of random data fit under a 2 MiB limit"
grep -q "Input/output error" /tmp/err || fail "over-limit write error: $(cat /tmp/err)"
[ "$(awk '{print $2}' $d/io_stat)" -gt 0 ] || fail "failed_writes not counted: $(cat $d/io_stat)"
[ "$(mm 0 3)" -le $(( (2 << 20) + 65536 )) ] || fail "pool grew past the limit: $(cat $d/mm_stat)"
expect_write $d/mem_limit 0 OK
dd if=/tmp/rand8 of=$dev bs=64k oflag=direct 2>/dev/null || fail "write after lifting the limit"
dd if=$dev of=/tmp/back bs=64k count=128 iflag=direct 2>/dev/null && cmp -s /tmp/rand8 /tmp/back || fail "data after limit lifted"
zram_unload
log "ok: zero/same/huge/compressed pages, discard, write-zeroes, partial, limits"
