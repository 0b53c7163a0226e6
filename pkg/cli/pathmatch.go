package cli

import "path"

func pathMatchCheck(g string) (bool, error) { return path.Match(g, "") }
