# gen.sh N: N analyses of 1 to 12 studies (yi, vi from a fixed LCG), some
# with a missing vi; the same file every time.
awk -v n="$1" 'BEGIN {
    s = 12345
    print "analysis,study,yi,vi"
    for (a = 1; a <= n; a++) {
        s = (s * 1103515245 + 12345) % 2147483648; k = 1 + s % 12
        for (i = 1; i <= k; i++) {
            s = (s * 1103515245 + 12345) % 2147483648; y = (s % 20001 - 10000) / 10000
            s = (s * 1103515245 + 12345) % 2147483648; v = 0.005 + (s % 3000) / 10000
            if (s % 97 == 0) printf "r%04d,s%d,%.4f,\n", a, i, y
            else printf "r%04d,s%d,%.4f,%.4f\n", a, i, y, v
        }
    }
}'
