package multienv

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/multienv/multienv/config"
	"github.com/multienv/multienv/internal/text"
)

// Location is where discovery found the configuration.
type Location struct {
	Path string // the file, or empty for the embedded default
	How  string // which step of discovery found it; its paths whole, escaped (text.Escape)
}

// Locate finds the configuration as the CLI does: flagPath when not empty,
// else the file MULTIENV_CONFIG names, else the multienv.toml discovery
// finds from dir, else the embedded default (empty Path).
//
// Discovery looks in dir and each parent up to the repository root (the
// nearest that holds .git, a folder or a file), or in dir alone outside a
// repository, so a file above the root, or in /tmp, is never read, not
// even through a link (which is an error). The directories are walked as
// they are, as git walks them: a linked working directory's parents are
// those of the directory it links to. A directory anyone may write to and
// many share, such as /tmp (sticky), ends the search for the root, and
// nothing in it is read: a .git or a file there may be a stranger's. A name
// it finds but cannot read (a dangling link, a directory, a parent it may
// not search) is an error, never skipped. A relative dir is taken from the
// working directory; an empty one (a deleted working directory) is an error
// unless the file is named. Errors match ErrInvalidConfig and wrap the cause.
func Locate(flagPath string, lookup func(string) (string, bool), dir string) (Location, error) {
	return locate(flagPath, lookup, dir, nil)
}

// locate is Locate; wdErr is why dir is empty, when it is known.
func locate(flagPath string, lookup func(string) (string, bool), dir string, wdErr error) (Location, error) {
	if flagPath != "" {
		return Location{Path: flagPath, How: "--config"}, nil
	}
	if lookup != nil {
		if p, _ := lookup(ConfigVariable); p != "" {
			return Location{Path: p, How: ConfigVariable}, nil
		}
	}
	if dir == "" {
		return Location{}, &locateError{
			msg:  "cannot look for " + FileName + ": no working directory to start from",
			err:  wdErr,
			hint: "; name the file with --config or " + ConfigVariable,
		}
	}
	abs, err := filepath.Abs(dir) // cleaned
	if err != nil {
		return Location{}, &locateError{msg: "cannot look for " + FileName + " from " + text.Path(dir), err: err}
	}
	return discover(abs)
}

// discover is discovery from dir, an absolute clean path.
func discover(dir string) (Location, error) {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return Location{}, &locateError{msg: "cannot look for " + FileName + " from " + text.Path(dir), err: err}
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		real = dir // the walk says what fails
	}
	root, err := config.RepositoryRoot(real)
	if err != nil {
		path := "a .git" // unless err names the path
		var pe *fs.PathError
		if errors.As(err, &pe) {
			path = pe.Path
		}
		return Location{}, &locateError{msg: "cannot look for the repository root: " + text.Path(path), err: err}
	}
	bound, where := real, "the working directory, all that is searched outside a repository"
	scope := " (not in a repository: only the working directory is searched)"
	how := FileName + " in " + text.Escape(dir) + scope // How escapes its paths, never cuts them
	if root != "" {
		bound, where = root, "the repository root "+text.Path(root)
		scope = " up to the repository root " + text.Escape(root)
		how = "nearest " + FileName + " from " + text.Escape(dir) + " (searched" + scope + ")"
	}
	if root == "" && config.OpenToAll(real) { // the root walk stopped there
		return Location{How: "embedded default (no --config, no " + ConfigVariable + "; discovery reads nothing in " + text.Escape(dir) +
			", a directory anyone may write to)"}, nil
	}
	for d, shown := real, dir; ; d, shown = filepath.Dir(d), filepath.Dir(shown) {
		path := filepath.Join(d, FileName)
		if found, err := usable(path, bound, where); err != nil {
			return Location{}, err
		} else if found {
			if r, err := filepath.EvalSymlinks(shown); err == nil && r == d {
				path = filepath.Join(shown, FileName) // by the name the directory was given
			}
			return Location{Path: path, How: how}, nil
		}
		if d == bound || filepath.Dir(d) == d {
			break
		}
	}
	return Location{How: "embedded default (no --config, no " + ConfigVariable + ", no " + FileName + " in " + text.Escape(dir) + scope + ")"}, nil
}

// usable reports whether path names a file discovery can use; a name that
// is there but is no readable regular file is an error, and so is a link
// to a file outside bound (a real path), which where names: a link
// committed to a repository may not make discovery read a file anyone may
// write, such as one in /tmp.
func usable(path, bound, where string) (bool, error) {
	unusable := func(why string, err error) (bool, error) {
		return false, &locateError{msg: "cannot use " + text.Path(path) + ", found by discovery" + why, err: err}
	}
	st, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, &locateError{msg: "cannot look for " + FileName + ": " + text.Path(path), err: err}
	case st.Mode()&fs.ModeSymlink != 0:
		if st, err = os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return unusable(": it is a link to nothing", err)
		} else if err != nil {
			return unusable("", err)
		}
		real, err := filepath.EvalSymlinks(path)
		if err != nil {
			return unusable("", err)
		}
		if !config.Inside(bound, real) {
			return unusable(": it is a link to "+text.Path(real)+", outside "+where+"; name the file with --config or "+ConfigVariable+" to read it", nil)
		}
	}
	switch {
	case st.IsDir():
		return unusable(": it is a directory", nil)
	case !st.Mode().IsRegular():
		return unusable(": it is not a regular file", nil)
	}
	return true, nil
}

// locateError is a failure of discovery: msg says what and where, err is
// the cause (nil when there is none) and hint what to do.
type locateError struct {
	msg, hint string
	err       error
}

func (e *locateError) Error() string {
	if e.err == nil {
		return e.msg + e.hint
	}
	cause := e.err
	var pe *fs.PathError
	if errors.As(cause, &pe) {
		cause = pe.Err // msg names the path
	}
	return e.msg + ": " + cause.Error() + e.hint
}

// Unwrap gives the cause, and ErrInvalidConfig.
func (e *locateError) Unwrap() []error {
	if e.err == nil {
		return []error{ErrInvalidConfig}
	}
	return []error{e.err, ErrInvalidConfig}
}
