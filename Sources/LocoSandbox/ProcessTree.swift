import Foundation

/// The processes descended from one process, read from /proc: how the sandbox holds a whole run
/// to its memory and process totals where no cgroup can be had (an ordinary user's, say).
struct ProcessTree {
    let root: pid_t
    private(set) var members: [pid_t] = []

    init(root: pid_t) {
        self.root = root
        refresh()
    }

    /// Re-reads the tree: every process whose parent chain reaches `root`, and `root` itself.
    mutating func refresh() {
        var children: [pid_t: [pid_t]] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry), let parent = ProcessTree.parent(of: pid) else { continue }
            children[parent, default: []].append(pid)
        }
        var found: [pid_t] = [root], queue = [root]
        while let next = queue.popLast() {
            for child in children[next] ?? [] where !found.contains(child) {
                found.append(child)
                queue.append(child)
            }
        }
        members = found
    }

    /// Memory the tree's processes hold privately (resident less file-backed and shared pages).
    var privateBytes: Int {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        return members.reduce(0) { total, pid in
            guard let statm = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return total }
            let fields = statm.split(separator: " ").compactMap { Int($0) }
            guard fields.count >= 3 else { return total }
            return total + max(0, fields[1] - fields[2]) * page
        }
    }

    func killAll() {
        for pid in members.reversed() { kill(pid, SIGKILL) }
    }

    static func parent(of pid: pid_t) -> pid_t? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // After the command name (which may hold spaces and parentheses): state, then the parent.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? pid_t(fields[1]) : nil
    }
}
