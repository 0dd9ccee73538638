package config

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"
)

// Print writes the effective settings as YAML, one key a line with its
// meaning, secrets masked so the output is safe to paste anywhere.
func Print(w io.Writer, v *viper.Viper) error {
	for _, k := range keys {
		val := v.Get(k.name)
		if k.secret {
			if s := fmt.Sprint(val); val != nil && s != "" {
				val = "******** (set)"
			} else {
				val = "(not set)"
			}
		}
		out, err := yaml.Marshal(map[string]any{k.name: val})
		if err != nil {
			return fmt.Errorf("print %s: %w", k.name, err)
		}
		line := strings.TrimRight(string(out), "\n")
		if _, err := fmt.Fprintf(w, "# %s\n%s\n", k.doc, line); err != nil {
			return err
		}
	}
	return nil
}
